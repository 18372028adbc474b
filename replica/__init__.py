"""A replica of tdkt.thaibinh.gov.vn served on 127.0.0.1: the offline test bed and the demo's default.

- `replica.testing.running_replica(...)`: a served replica for a `with` block (base_url, ground_truth,
  requests, set_state, clear_requests, fault_for).
- `replica.site.build_site(...)`: the same site without a server; `.respond(path, headers)` gives a
  `Response(status, headers, body)` and `.ground_truth()` the truth as a JSON-ready dict.
- `replica.cli.replica_command`: the `tdkt replica` command.

Content comes from `replica.content` (model and ground truth), `replica.render` (the classic and
modern markup themes) and `replica.files` (PDF, DOCX, XLSX... bytes).
"""
