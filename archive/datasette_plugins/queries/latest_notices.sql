select
  p.published_at,
  p.title,
  p.summary,
  p.category,
  p.id as page_id,
  p.url
from pages p
where p.kind = 'notice' and p.removed_at is null
order by p.published_at desc, p.id desc
limit 50
