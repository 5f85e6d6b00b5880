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
# Whether a text has such a run, in two scans: one class holding the supplementary planes' ideographs too scanned
# a body several times slower than these two classes one after the other.
_DICTIONARY_BMP = re.compile(_DICTIONARY_RUN.pattern.replace("\U00020000-\U0003ffff", ""))
_SUPPLEMENTARY = re.compile("[\U00020000-\U0003ffff]")
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
    # ICU counts in UTF-16 code units: a character beyond the BMP counts twice, so such a run is sliced in UTF-16.
    if _SUPPLEMENTARY.search(run):
        units = run.encode("utf-16-le")
        return [units[2 * start:2 * end].decode("utf-16-le") for start, end in _word_spans(iterator)]
    return [run[start:end] for start, end in _word_spans(iterator)]


def _word_spans(iterator):
    start = iterator.first()
    for end in iterator:
        if iterator.getRuleStatus() >= _WORD_STATUS:
            yield start, end
        start = end


def segment(text):
    """`text` with a space between the words of its dictionary-script runs, or None when it has no such run.

    Other text is left exactly as it is: PostgreSQL's parser and configurations read it as before.
    """
    # isascii() first, a C-speed scan: the regex took a tenth of the time to parse an English post.
    if not text or text.isascii() or not (_DICTIONARY_BMP.search(text) or _SUPPLEMENTARY.search(text)):
        return None
    return _DICTIONARY_RUN.sub(lambda run: f" {' '.join(words(run[0]))} ", text)
