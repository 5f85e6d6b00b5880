"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of published articles: the site, a category, a tag, an author, a language."""
