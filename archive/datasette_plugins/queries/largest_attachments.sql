select
  at.bytes,
  at.extension,
  at.filename,
  at.content_type,
  at.sha256,
  at.id as attachment_id,
  p.title as page_title,
  at.page_id,
  at.url
from attachments at
join pages p on p.id = at.page_id
where :extension = '' or lower(at.extension) = lower(trim(:extension, '. '))
order by at.bytes desc nulls last, at.id
limit 100
