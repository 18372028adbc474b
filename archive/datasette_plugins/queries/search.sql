-- Ranked full-text search, as the reading room's /search ranks it (room/search.py): pages whose title
-- holds every word first, then the other matches; newest first within each, undated pages last.
-- Words match as typed against the original text and its đ→d copy (fts_words), so "thi dua" finds
-- "thi đua". Each list walks the newest-first date index and stops after 200 rows: a word on most
-- pages costs no more than a rare one, and nothing scores every match.
select * from (
  select
    p.id as page_id, 1 as in_title, p.title, p.kind, p.category, p.published_at,
    search_context(coalesce(p.summary || ' ', '') || coalesce(substr(p.body_text, 1, 20000), ''), :q)
      as context,
    p.url
  from pages p
  where +p.id in (
    select rowid from pages_fts where pages_fts match '{title title_folded} : (' || fts_words(:q) || ')'
  )
  order by p.published_at desc, p.id
  limit 200
)
union all
select * from (
  select
    p.id, 0, p.title, p.kind, p.category, p.published_at,
    search_context(coalesce(p.summary || ' ', '') || coalesce(substr(p.body_text, 1, 20000), ''), :q),
    p.url
  from pages p
  where +p.id in (select rowid from pages_fts where pages_fts match fts_words(:q))
    and +p.id not in (
      select rowid from pages_fts where pages_fts match '{title title_folded} : (' || fts_words(:q) || ')'
    )
  order by p.published_at desc, p.id
  limit 200
)
limit 200
