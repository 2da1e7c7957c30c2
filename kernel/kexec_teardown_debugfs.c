// SPDX-License-Identifier: GPL-2.0
/*
 * kexec teardown registry: the steps of a module that goes away, and the
 * list of steps in debugfs.
 */

#define pr_fmt(fmt) "kexec_teardown: " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>

#include <kunit/visibility.h>

#include "kexec_teardown_internal.h"

/**
 * kexec_teardown_drop_module - drop the steps of a module that goes away
 * @reg:	The registry.
 * @mod:	The module.
 *
 * A module that is unloaded with steps still registered loses them, with
 * a warning naming each one.  Before a kexec has started only: once sealed,
 * the lists never change (the owners are pinned, and the steps of a module
 * still loading were dropped at the seal), so this only warns.
 *
 * Context: Process context, takes @reg->lock and waits for an RCU grace
 * period if anything was dropped.
 */
void kexec_teardown_drop_module(struct kexec_teardown_registry *reg,
				const struct module *mod)
{
	struct kexec_teardown __rcu **pp;
	struct kexec_teardown *td;
	bool dropped = false;
	int phase;

	mutex_lock(&reg->lock);
	for (phase = 0; phase < KEXEC_TEARDOWN_NR_PHASES; phase++) {
		pp = &reg->head[phase];
		while ((td = kexec_teardown_locked(reg, *pp))) {
			if (td->owner == mod && READ_ONCE(reg->sealed)) {
				pr_warn("%s: module %s went away after a kexec started, step kept\n",
					td->name, module_name(td->owner));
				pp = &td->next;
				continue;
			}
			if (td->owner != mod) {
				pp = &td->next;
				continue;
			}
			pr_warn("%s: module %s went away without unregistering it, step dropped\n",
				td->name, module_name(td->owner));
			/* @td keeps its next pointer, see kexec_teardown_remove(). */
			RCU_INIT_POINTER(*pp, kexec_teardown_locked(reg, td->next));
			dropped = true;
		}
	}
	mutex_unlock(&reg->lock);
	if (dropped)
		synchronize_rcu();
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_drop_module);

#ifdef CONFIG_MODULES
static int kexec_teardown_module_notify(struct notifier_block *nb,
					unsigned long action, void *data)
{
	if (action == MODULE_STATE_GOING)
		kexec_teardown_drop_module(&kexec_teardown_global, data);
	return NOTIFY_DONE;
}

static struct notifier_block kexec_teardown_module_nb = {
	.notifier_call = kexec_teardown_module_notify,
};

static int __init kexec_teardown_init(void)
{
	kexec_teardown_global.pin_owners = true;
	return register_module_notifier(&kexec_teardown_module_nb);
}
core_initcall(kexec_teardown_init);
#endif /* CONFIG_MODULES */

#ifdef CONFIG_DEBUG_FS
static const char *kexec_teardown_flags_name(unsigned int flags)
{
	switch (flags & KEXEC_TEARDOWN_VALID_FLAGS) {
	case 0:
		return "-";
	case KEXEC_TEARDOWN_CRASH_SAFE:
		return "crash-safe";
	case KEXEC_TEARDOWN_TERMINAL:
		return "terminal";
	default:
		return "crash-safe,terminal";
	}
}

static int kexec_teardown_show(struct seq_file *m, void *v)
{
	struct kexec_teardown_registry *reg = m->private;
	const struct kexec_teardown *td;
	unsigned int order;
	int phase;

	mutex_lock(&reg->lock);
	seq_printf(m, "# sealed: %s\n", !READ_ONCE(reg->sealed) ? "no" :
		   READ_ONCE(reg->crash) ? "yes (crash)" : "yes");
	if (!reg->supported)
		seq_puts(m, "# not run: this kernel's kexec does not support the registry\n");
	seq_puts(m, "# phase    order priority name                             flags               owner    callback\n");
	for (phase = 0; phase < KEXEC_TEARDOWN_NR_PHASES; phase++) {
		order = 0;
		for (td = kexec_teardown_locked(reg, reg->head[phase]); td;
		     td = kexec_teardown_locked(reg, td->next)) {
			seq_printf(m, "%-10s %5u %8d %-32s %-19s %-8s %ps\n",
				   kexec_teardown_phase_name(phase), ++order,
				   td->priority, td->name,
				   kexec_teardown_flags_name(td->flags),
				   module_name(td->owner), td->fn);
		}
	}
	mutex_unlock(&reg->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kexec_teardown);

static int __init kexec_teardown_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("kexec_teardown", NULL);

	debugfs_create_file("registrations", 0444, dir, &kexec_teardown_global,
			    &kexec_teardown_fops);
	return 0;
}
late_initcall(kexec_teardown_debugfs_init);
#endif /* CONFIG_DEBUG_FS */
