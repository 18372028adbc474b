select
  substr(a.decided_on, 1, 4) as year,
  a.award,
  count(*) as awards,
  count(distinct a.decision_number) as decisions,
  sum(coalesce(a.collectives, 0)) as collectives,
  sum(coalesce(a.individuals, 0)) as individuals
from awards a
where a.decided_on is not null
  and (:year = '' or substr(a.decided_on, 1, 4) = :year)
group by year, a.award
order by year desc, awards desc, a.award
