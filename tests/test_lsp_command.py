"""`gpbt lsp` without the lsp extra says which extra to install and exits 2."""

from __future__ import annotations

import subprocess
import sys

BLOCK_PYGLS = ("import sys\nclass Block:\n    def find_spec(self, name, path=None, target=None):\n"
               "        if name == 'pygls' or name.startswith('pygls.'):\n            raise ImportError(name=name)\n"
               "sys.meta_path.insert(0, Block())\nfrom gpbt.cli import main\nmain(['lsp'])\n")


def test_without_the_extra_the_command_names_it():
    done = subprocess.run([sys.executable, "-c", BLOCK_PYGLS], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "pip install 'gpbt[lsp]'" in done.stderr
