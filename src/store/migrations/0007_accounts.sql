-- Accounts (issue 11): who may sign in at this counter. Every change of an
-- account is also an office event in the chain; this table keeps what the
-- events must not carry (the password's Argon2id hash) and the sign-in
-- state (failed attempts, lock).
CREATE TABLE accounts (
    login           TEXT PRIMARY KEY,
    full_name       TEXT NOT NULL,
    roles           TEXT NOT NULL,          -- clerk,leader,admin
    password_hash   TEXT NOT NULL,          -- PHC string, Argon2id
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,                   -- RFC 3339
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
