-- A submission sent through the hub API keeps no summary of its answers (ADR 0009): the words are
-- written from the form version its answers were checked against whenever it is read. That needs
-- the form's key as well as its version (a service may later use another form): kept here. Null
-- for a submission that keeps its own summary (the web's, and every one sent before this).
alter table submissions add column form_key text;
