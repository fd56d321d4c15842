"""Print-quality PDFs of articles (WeasyPrint), for `publish build` and `publish pdf`.

    render.render_article_pdf(config, site, article, lang, now=...) -> bytes   one PDF
    batch.build_pdfs(config, jobs, cache_dir, workers) -> PdfBatch           many, cached, in parallel
    batch.build_site_pdfs(config, site, now) -> PdfBatch                   every live article
    contributor.PdfContributor()                                             the build's PDFs (`publish build`)
    ondemand.write_article_pdf(...)                                          `publish pdf`

The `[pdf]` table is read by `publisher.config.pdf`. Modules:
`fonts` (fontconfig check for the Noto CJK faces), `phrases` (BudouX phrases
kept whole), `render`, `batch` (hash-keyed cache, process pool), `jobkeys` (the cache's keys), `ondemand`,
`contributor` (the site build's hook: the site package never imports this one).
WeasyPrint is imported only when a PDF is actually rendered.
"""
