//! The connection pool and the migrations.

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::HubError;

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_register.sql"),
    include_str!("migrations/0002_rules.sql"),
    include_str!("migrations/0003_chain.sql"),
    include_str!("migrations/0004_office_events.sql"),
    include_str!("migrations/0005_devices.sql"),
    include_str!("migrations/0006_restore_log.sql"),
    include_str!("migrations/0007_form_texts.sql"),
];

/// Advisory lock keys (`pg_advisory_xact_lock`).
pub const MIGRATION_LOCK: i64 = 0x6d6f_7463_7561_0001;
/// Held by every transaction that adds a row to `changes`, so rows commit
/// in `seq` order and a pull cursor never skips one.
pub const CHANGES_LOCK: i64 = 0x6d6f_7463_7561_0002;

pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, HubError> {
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await?)
}

/// Applies the missing migrations, each in its own transaction, under a
/// lock so two hubs starting together do not race. A database written by
/// a newer hub is refused.
pub async fn migrate(pool: &PgPool) -> Result<(), HubError> {
    sqlx::query("CREATE TABLE IF NOT EXISTS hub_schema (version INTEGER NOT NULL)")
        .execute(pool)
        .await?;
    loop {
        let mut tx = pool.begin().await?;
        crate::register::lock(&mut tx, MIGRATION_LOCK).await?;
        let found: Option<i32> = sqlx::query_scalar("SELECT MAX(version) FROM hub_schema")
            .fetch_one(&mut *tx)
            .await?;
        let found = found.unwrap_or(0) as usize;
        if found > MIGRATIONS.len() {
            return Err(HubError::api(
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                "schema_too_new",
                format!(
                    "Cơ sở dữ liệu ở phiên bản {found}, mới hơn chương trình này ({}). Hãy cập nhật motcua-hub.",
                    MIGRATIONS.len()
                ),
            ));
        }
        let Some(&sql) = MIGRATIONS.get(found) else {
            return Ok(());
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM hub_schema").execute(&mut *tx).await?;
        sqlx::query("INSERT INTO hub_schema (version) VALUES ($1)")
            .bind((found + 1) as i32)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version = found + 1, "applied hub migration");
    }
}
