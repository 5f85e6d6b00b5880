"""Sitemaps for search engines: an index of paginated sections, hreflang groups, a Google News sitemap, robots.txt."""
