"""Search, whole: the queries (queries.py), the word segmentation (segmentation.py), and the SQL of the documents,
triggers and window in versioned files (sql/, which migrations load through sql.py)."""
