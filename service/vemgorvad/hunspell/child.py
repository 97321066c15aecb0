"""The child process compact.read starts: reads the Hunspell dictionary at PATH (…/sv_SE) with
spylls and writes its affixes and compact entries, pickled, to standard output.

    python -m vemgorvad.hunspell.child PATH
"""
from __future__ import annotations

import pickle
import sys

from spylls.hunspell import Dictionary

from vemgorvad.hunspell.compact import compact


def main(path: str) -> None:
    sys.stdout.buffer.write(pickle.dumps(compact(Dictionary.from_files(path)), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main(sys.argv[1])
