-- Reads only the covering date index (published_at, id, kind), never the wide page rows.
select
  substr(p.published_at, 1, 7) as month,
  p.kind,
  count(*) as items
from pages p
where p.published_at is not null
group by month, p.kind
order by month, p.kind
