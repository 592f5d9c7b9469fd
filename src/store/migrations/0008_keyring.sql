-- Encryption (issue 11): passwords leave the database. Each account's
-- password now seals the data key in keys.json, and unsealing it is the
-- password check (src/keys.rs); wrong attempts and locks are counted there.
-- An office that had accounts before this has no keyring: its folder is
-- plain, and its first admin made again seals it (see Desk::add_user).
ALTER TABLE accounts DROP COLUMN password_hash;
ALTER TABLE accounts DROP COLUMN failed_sign_ins;
ALTER TABLE accounts DROP COLUMN locked_until;

-- The report reads these columns of every dossier of a period; from this
-- index alone it never touches the rows' large `data` pages (which, in a
-- sealed file, are decrypted page by page).
CREATE INDEX dossiers_for_report ON dossiers(
    receipt_date, ended_at, procedure_code, procedure_name, field, channel, received_at,
    judged_due_at, clock_stopped, supplement_requests, flags, clock_suspect
);
