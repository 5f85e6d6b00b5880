"""`make verify`: the README's promises checked from outside, probe by probe, with figures (bench/VERIFY.md)."""
