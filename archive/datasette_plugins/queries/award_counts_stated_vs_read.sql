select
  a.decided_on,
  a.decision_number,
  a.award,
  a.stated_collectives,
  coalesce(a.collectives, 0) as collectives_read,
  a.stated_collectives - coalesce(a.collectives, 0) as collectives_not_read,
  a.stated_individuals,
  coalesce(a.individuals, 0) as individuals_read,
  a.stated_individuals - coalesce(a.individuals, 0) as individuals_not_read,
  p.title,
  p.id as page_id,
  p.url
from awards a
join pages p on p.id = a.page_id
where a.stated_collectives != coalesce(a.collectives, 0)
   or a.stated_individuals != coalesce(a.individuals, 0)
order by a.decided_on desc, p.url
