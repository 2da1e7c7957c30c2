# Sphinx configuration to build only this series' documentation pages with
# the kernel's own Sphinx extensions (kernel-doc, C domain, automarkup).
# mk/docs.sh lays the pages out under their Documentation/ paths.
import os
import sys

tree = os.environ['KT_TREE']
sys.path.insert(0, os.path.join(tree, 'Documentation', 'sphinx'))

project = 'kexec teardown'
# As Documentation/conf.py does for Sphinx 3.1 and later (Debian 12 has 5.3).
extensions = ['kerneldoc', 'automarkup', 'rstFlatTable',
              'sphinx.ext.autosectionlabel']
autosectionlabel_prefix_document = True
autosectionlabel_maxdepth = 2
kerneldoc_bin = os.path.join(tree, 'scripts', 'kernel-doc')
kerneldoc_srctree = tree
master_doc = 'index'
html_theme = 'alabaster'
primary_domain = 'c'
highlight_language = 'none'
# The kernel documentation is not a Python project.
c_id_attributes = ['__init', 'notrace']
