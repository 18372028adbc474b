select
  lower(coalesce(nullif(at.extension, ''), '(none)')) as extension,
  count(*) as files,
  sum(at.bytes) as total_bytes,
  round(avg(at.bytes)) as average_bytes,
  max(at.bytes) as largest_bytes,
  sum(at.sha256 is null) as pending,
  sum(at.text_error is not null) as text_errors,
  sum(at.text_method = 'ocr') as read_by_ocr
from attachments at
group by 1
order by total_bytes desc, files desc
