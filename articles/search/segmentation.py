"""Words for search in scripts written without spaces (Khmer, Thai, Lao, Burmese, Chinese, Japanese), by ICU."""

import re
import threading

import icu

# Runs of the scripts whose words ICU finds with a dictionary: Thai, Lao, Myanmar, Khmer (and its symbols),
# hiragana and katakana, CJK ideographs (with extension A, compatibility and the supplementary planes). The zero
# width space and joiners that such text carries between words belong to the run.
_DICTIONARY_RUN = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff\u200b-\u200d]+"
)
# ICU's rule status of a segment: below 100 is neither a word nor a number (spaces, punctuation, joiners).
_WORD_STATUS = 100
_local = threading.local()


def _iterator():
    """A word break iterator per thread: they hold the text they walk, so a threaded server cannot share one."""
    iterator = getattr(_local, "iterator", None)
    if iterator is None:
        iterator = _local.iterator = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    return iterator


def words(run):
    """The words of `run`, in order, as ICU's word break iterator finds them."""
    iterator = _iterator()
    iterator.setText(run)
    # ICU counts in UTF-16 code units: slice the UTF-16 form, so that a character beyond the BMP counts twice.
    units = run.encode("utf-16-le")
    found, start = [], iterator.first()
    for end in iterator:
        if iterator.getRuleStatus() >= _WORD_STATUS:
            found.append(units[2 * start:2 * end].decode("utf-16-le"))
        start = end
    return found


def segment(text):
    """`text` with a space between the words of its dictionary-script runs, or None when it has no such run.

    Other text is left exactly as it is: PostgreSQL's parser and configurations read it as before.
    """
    if not text or not _DICTIONARY_RUN.search(text):
        return None
    return _DICTIONARY_RUN.sub(lambda run: f" {' '.join(words(run[0]))} ", text)
