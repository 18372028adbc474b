-- One recipient across spellings: name_key is the name folded by the store (case, tone marks, đ,
-- spacing), and fold_key(:name) folds the question with the very same function.
select
  a.decided_on,
  r.name,
  r.kind,
  r.position,
  r.unit,
  coalesce(r.award, a.award) as award,
  a.decision_number,
  a.conferred_by,
  p.title as decision_title,
  a.id as award_id,
  r.page_id,
  p.url,
  r.source
from award_recipients r
join awards a on a.id = r.award_id
join pages p on p.id = r.page_id
where r.name_key = fold_key(:name)
order by a.decided_on, a.decision_number
