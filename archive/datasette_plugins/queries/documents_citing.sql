-- Numbers are compared folded ("163/QD-UBND" finds "163/QĐ-UBND"); the cited document is linked when
-- the archive holds it.
select
  c.cited_number,
  cited.title as cited_document,
  ld.page_id as cited_page_id,
  cited.url as cited_url,
  p.published_at,
  p.kind,
  own.number as citing_number,
  p.title as citing_title,
  p.id as citing_page_id,
  p.url as citing_url
from citations c
join pages p on p.id = c.page_id
left join legal_documents own on own.page_id = p.id
left join legal_documents ld on ld.number = c.cited_number
left join pages cited on cited.id = ld.page_id
where fold_key(c.cited_number) = fold_key(:number)
order by p.published_at desc, p.id
