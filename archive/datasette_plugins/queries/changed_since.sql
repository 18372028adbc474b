-- Filters and sorts on the expression ix_pages_changed indexes, so it reads that index in order and
-- stops after the rows it shows.
select
  p.last_changed_at,
  p.first_seen_at,
  p.removed_at,
  (select count(*) from page_versions v where v.page_id = p.id) as versions,
  p.kind,
  p.title,
  p.id as page_id,
  p.url
from pages p
where max(p.last_changed_at, coalesce(p.removed_at, '')) >= :since
order by max(p.last_changed_at, coalesce(p.removed_at, '')) desc, p.id
