-- Part of the authority's name, with or without diacritics ("thu tuong"); empty lists every decision.
select
  a.conferred_by,
  a.decided_on,
  a.decision_number,
  a.award,
  a.collectives,
  a.individuals,
  p.title,
  a.id as award_id,
  a.page_id,
  p.url
from awards a
join pages p on p.id = a.page_id
where :authority = ''
   or instr(fold_key(a.conferred_by), fold_key(:authority)) > 0
order by a.conferred_by, a.decided_on desc, a.decision_number
