-- Every launch and relaunch: one row per movement, launch date and launching body, so a movement
-- relaunched by another body, or on another date, has a row for each. `since` (a year or a date,
-- optional) keeps the launches on or after it. `pages` counts the items stating that launch,
-- `mentions` every item naming the movement at all. The launches are grouped in the order of
-- ix_movements_launches (launched_on, name_key, launched_by, page_id): no sort, and a page of them
-- stops reading the index once it is full.
with launches as (
  select
    m.launched_on,
    m.name_key,
    m.launched_by,
    min(m.name) as name,
    min(m.period_start) as period_start,
    max(m.period_end) as period_end,
    count(distinct m.page_id) as pages,
    min(m.page_id) as page_id
  from movements m
  where m.launched_on >= :since
  group by m.launched_on, m.name_key, m.launched_by
),
mentions as (
  select name_key, count(distinct page_id) as mentions
  from movements
  group by name_key
)
select
  l.launched_on,
  l.name,
  l.launched_by,
  l.period_start,
  l.period_end,
  l.pages,
  mentions.mentions,
  l.page_id,
  p.title as launch_page,
  p.url
from launches l
join mentions on mentions.name_key = l.name_key
join pages p on p.id = l.page_id
order by l.launched_on, l.name_key, l.launched_by
