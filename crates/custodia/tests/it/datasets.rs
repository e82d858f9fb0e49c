//! Rights requests that reach a shop's own database (issue 21), on a real SQLite file,
//! a real PostgreSQL and a real MariaDB database seeded with 2,000 customers, an address each, three
//! orders each with two lines, and support tickets: access finds exactly the person's
//! rows across the references, erasure applies each column's strategy and leaves every
//! other row byte-identical (each row hashed before and after), a second erasure and a
//! dry run change nothing, and a row another customer refers to is left alone.

use std::collections::BTreeMap;

use custodia_connectors::postgres::PostgresBackend;
use custodia_connectors::sqlite::SqliteBackend;
use custodia_connectors::{Backend, Dataset, Person};
use custodia_register::IdentityKind;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Connection, Row};

use custodia_connectors::fixture::{INDEXES, PERSON, SCHEMA, TABLES, seed_sql};

fn register() -> custodia_register::ValidRegister {
    let root = crate::support::example("saas.toml");
    let mut source = std::fs::read_to_string(&root).unwrap();
    source
        .push_str(&std::fs::read_to_string(crate::support::example("datasets/shop.toml")).unwrap());
    custodia_register::parse("saas.toml", &source).unwrap_or_else(|e| panic!("{e}"))
}

/// Every row of every table, by table and key, as a hash of its text.
type Snapshot = BTreeMap<(String, i64), [u8; 32]>;

/// The person's rows: what access must return and all that erasure may change.
fn person_rows() -> BTreeMap<&'static str, Vec<i64>> {
    let orders: Vec<i64> = (0..3).map(|k| PERSON * 3 + k).collect();
    let lines: Vec<i64> = orders.iter().flat_map(|o| [o * 2, o * 2 + 1]).collect();
    BTreeMap::from([
        ("addresses", vec![PERSON]),
        ("customers", vec![PERSON]),
        ("orders", orders),
        ("order_lines", lines),
        ("tickets", vec![PERSON]),
    ])
}

fn keys(found: &custodia_connectors::Found, table: &str) -> Vec<i64> {
    let mut keys: Vec<i64> = found
        .tables
        .iter()
        .find(|t| t.table == table)
        .unwrap()
        .rows
        .iter()
        .map(|r| r.key.as_i64().unwrap())
        .collect();
    keys.sort_unstable();
    keys
}

fn pseudonym(value: &str) -> String {
    hex::encode(&Sha256::digest(format!("test key:{value}"))[..16])
}

/// Access, dry run, erasure and a second erasure on one seeded database; `snapshot`
/// reads every row.
async fn access_and_erasure<F, Fut>(backend: &dyn Backend, snapshot: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Snapshot>,
{
    let register = register();
    let spec = &register.datasets[0];
    let dataset = Dataset {
        spec,
        reader: backend,
        writer: backend,
    };
    assert_eq!(
        dataset.check().await.unwrap(),
        Vec::new(),
        "the schema fits"
    );

    let person = Person::new(&[(IdentityKind::Email, " customer1234@shop.example")]).unwrap();
    let found = dataset.find(&person).await.unwrap();
    let expected = person_rows();
    for table in TABLES {
        assert_eq!(keys(&found, table), expected[table], "{table}");
    }
    let customer = &found
        .tables
        .iter()
        .find(|t| t.table == "customers")
        .unwrap()
        .rows[0];
    assert_eq!(customer.fields["first_name"], Value::from("First1234"));

    // Tickets past three years from opening, as the sweep finds them (dates compared
    // by each database, then exactly here).
    let tickets = spec.tables.iter().find(|t| t.name == "tickets").unwrap();
    let three_years: custodia_register::IsoDuration = "P3Y".parse().unwrap();
    let now = time::macros::datetime!(2026-12-07 0:00 UTC);
    let expired = dataset.expired(tickets, &[three_years], now).await.unwrap();
    let old = (1..custodia_connectors::fixture::OLD_ROWS_BELOW)
        .filter(|i| i % 2 == 0)
        .count();
    assert_eq!(expired.rows(), old);
    let before_may_2022 = time::macros::datetime!(2022-05-01 0:00 UTC) - time::Duration::seconds(1);
    let not_yet = dataset
        .expired(tickets, &[three_years], before_may_2022)
        .await
        .unwrap();
    assert_eq!(not_yet.rows(), 0, "not a second before three years");

    let before = snapshot().await;
    let plan = dataset.plan_erasure(&found, &pseudonym).await.unwrap();
    assert_eq!(
        snapshot().await,
        before,
        "planning changes nothing (a dry run)"
    );
    let tally = |table: &str| {
        plan.tables
            .iter()
            .find(|t| t.table == table)
            .unwrap()
            .clone()
    };
    assert_eq!(
        (
            tally("customers").rows_updated,
            tally("customers").rows_deleted
        ),
        (1, 0)
    );
    assert_eq!(
        tally("addresses").rows_shared,
        1,
        "the neighbour ships there"
    );
    assert_eq!(tally("addresses").rows_updated, 0);
    assert_eq!(tally("orders").rows_updated, 0, "kept for the invoices");
    assert_eq!(tally("order_lines").rows_updated, 6);
    assert_eq!(tally("tickets").rows_deleted, 1);
    assert!(!plan.summary().contains('@'), "{}", plan.summary());
    // Every statement of the erasure is bounded by keys of the person's rows.
    for change in &plan.changes {
        let (table, keys) = match change {
            custodia_connectors::Change::Delete { table, keys, .. } => (table, keys.clone()),
            custodia_connectors::Change::Set { table, key, .. } => (table, vec![key.clone()]),
        };
        assert!(change.is_bounded() && !keys.is_empty(), "{change:?}");
        for key in keys {
            assert!(
                expected[table.as_str()].contains(&key.as_i64().unwrap()),
                "{change:?}"
            );
        }
    }
    let unbounded = custodia_connectors::Plan {
        dataset: plan.dataset.clone(),
        tables: Vec::new(),
        changes: vec![custodia_connectors::Change::Delete {
            table: "tickets".to_owned(),
            key_column: "id".to_owned(),
            keys: Vec::new(),
        }],
    };
    let refused = dataset.apply(&unbounded).await.unwrap_err().to_string();
    assert!(
        refused.contains("refused a change of `tickets` without row keys"),
        "{refused}"
    );

    dataset.apply(&plan).await.unwrap();
    let after = snapshot().await;
    let ours = |table: &str, key: i64| {
        expected.get(table).is_some_and(|k| k.contains(&key)) && table != "addresses"
    };
    let mut changed = 0;
    for ((table, key), hash) in &before {
        if ours(table, *key) {
            changed += usize::from(after.get(&(table.clone(), *key)) != Some(hash));
        } else {
            assert_eq!(
                after.get(&(table.clone(), *key)),
                Some(hash),
                "{table} {key} changed"
            );
        }
    }
    // The customer, six order lines and the ticket; the orders are kept as they were.
    assert_eq!(changed, 1 + 6 + 1);
    assert_eq!(after.len(), before.len() - 1, "one ticket deleted");

    let by_id = Person::new(&[(IdentityKind::CustomerId, "1234")]).unwrap();
    let again = dataset.find(&by_id).await.unwrap();
    let customer = &again
        .tables
        .iter()
        .find(|t| t.table == "customers")
        .unwrap()
        .rows[0];
    let email = customer.fields["email"].as_str().unwrap();
    assert!(
        email.starts_with("pseud_") && email.len() == 6 + 32,
        "{email}"
    );
    assert_eq!(customer.fields["first_name"], Value::Null);
    assert_eq!(customer.fields["last_name"], Value::from("erased"));
    assert_eq!(keys(&again, "tickets"), Vec::<i64>::new());
    let second = dataset.plan_erasure(&again, &pseudonym).await.unwrap();
    assert!(
        second.is_empty(),
        "a second erasure changes nothing: {}",
        second.summary()
    );
    dataset.apply(&second).await.unwrap();
    assert_eq!(snapshot().await, after);
    assert_eq!(
        dataset.find(&person).await.unwrap().rows(),
        0,
        "the e-mail no longer finds anyone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_in_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn.execute_batch(INDEXES).unwrap();
        conn.execute_batch(&format!("BEGIN; {} COMMIT;", seed_sql()))
            .unwrap();
    }
    let backend = SqliteBackend::new(&path, false);
    schema_problems_are_named(&backend).await;
    undeclared_foreign_keys_are_named(&backend).await;
    schema_references_are_followed(&format!("sqlite://{}", path.display())).await;
    let snapshot = || async {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut out = Snapshot::new();
        for table in TABLES {
            let mut statement = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
            let width = statement.column_count();
            let mut rows = statement.query([]).unwrap();
            while let Some(row) = rows.next().unwrap() {
                let cells: Vec<String> = (0..width)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                let key: i64 = row.get(0).unwrap();
                out.insert(
                    (table.to_owned(), key),
                    Sha256::digest(cells.join("\u{1f}")).into(),
                );
            }
        }
        out
    };
    access_and_erasure(&backend, snapshot).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_in_postgres() {
    let Some(url) = crate::pg::fresh_postgres_database().await else {
        return;
    };
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!("{SCHEMA}{INDEXES}{}", seed_sql())))
        .execute(&mut conn)
        .await
        .unwrap();
    let backend = PostgresBackend::connect(&url, false).unwrap();
    undeclared_foreign_keys_are_named(&backend).await;
    schema_references_are_followed(&url).await;
    let snapshot = || async {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        let mut out = Snapshot::new();
        for table in TABLES {
            let rows = sqlx::query(AssertSqlSafe(format!("SELECT id, t::text FROM {table} t")))
                .fetch_all(&mut conn)
                .await
                .unwrap();
            for row in rows {
                let key: i32 = row.get(0);
                let text: String = row.get(1);
                out.insert(
                    (table.to_owned(), i64::from(key)),
                    Sha256::digest(text).into(),
                );
            }
        }
        out
    };
    access_and_erasure(&backend, snapshot).await;
}

/// A foreign key of the live schema the register leaves undeclared is named (told
/// apart from problems); with every reference declared, nothing is.
async fn undeclared_foreign_keys_are_named(backend: &dyn Backend) {
    let register = register();
    let mut spec = register.datasets[0].clone();
    let dataset = Dataset {
        spec: &spec,
        reader: backend,
        writer: backend,
    };
    assert_eq!(dataset.undeclared_references().await.unwrap(), Vec::new());
    spec.tables[3].references.clear();
    let dataset = Dataset {
        spec: &spec,
        reader: backend,
        writer: backend,
    };
    let notes: Vec<String> = dataset
        .undeclared_references()
        .await
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with("order_lines.order_id: refers to `orders` in the database"),
        "{notes:?}"
    );
}

/// With `references_from_schema`, a register that declares no reference at all finds
/// exactly the person's rows through the database's foreign keys; without it, only
/// the rows their identities match.
async fn schema_references_are_followed(url: &str) {
    let register = register();
    let mut spec = register.datasets[0].clone();
    for table in &mut spec.tables {
        table.references.clear();
    }
    let link = || custodia_connectors::Link::Sql {
        reader: custodia_connectors::open(url, true).unwrap(),
        writer: custodia_connectors::open(url, false).unwrap(),
    };
    let person = Person::new(&[(IdentityKind::Email, "customer1234@shop.example")]).unwrap();
    let rows_of = |found: &custodia_connectors::Found, table: &str| -> usize {
        found
            .tables
            .iter()
            .filter(|t| t.table == table)
            .map(|t| t.rows.len())
            .sum()
    };
    let declared_only = custodia_connectors::Connected::new(spec.clone(), link());
    let found = declared_only
        .find(&person, Default::default(), 0)
        .await
        .unwrap();
    assert_eq!(rows_of(&found, "orders"), 0);
    spec.references_from_schema = true;
    let followed = custodia_connectors::Connected::new(spec, link());
    let found = followed.find(&person, Default::default(), 0).await.unwrap();
    for (table, expected) in person_rows() {
        assert_eq!(keys(&found, table), expected, "{table}");
    }
}

/// `check` names every table and column the live schema lacks and every column that
/// cannot take its strategy.
async fn schema_problems_are_named(backend: &dyn Backend) {
    let register = register();
    let mut spec = register.datasets[0].clone();
    spec.tables[0].fields[1].column = "firstname".to_owned();
    spec.tables[1].fields[0].erase = custodia_register::EraseStrategy::Null;
    spec.tables[4].name = "ticket".to_owned();
    let dataset = Dataset {
        spec: &spec,
        reader: backend,
        writer: backend,
    };
    let problems: Vec<String> = dataset
        .check()
        .await
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "customers.firstname: no such column",
            "addresses.street: (text) is NOT NULL: null (erase or after) cannot apply",
            "ticket: no such table",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_in_mariadb() {
    let Some(url) = crate::mariadb::fresh_mariadb_database().await else {
        return;
    };
    let mut conn = sqlx::MySqlConnection::connect(&url).await.unwrap();
    let script = format!("{SCHEMA}{}", seed_sql());
    for statement in script.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        sqlx::raw_sql(AssertSqlSafe(statement.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let backend = custodia_connectors::mysql::MysqlBackend::connect(&url, false).unwrap();
    undeclared_foreign_keys_are_named(&backend).await;
    schema_references_are_followed(&url).await;
    let snapshot = || async {
        let mut conn = sqlx::MySqlConnection::connect(&url).await.unwrap();
        let mut out = Snapshot::new();
        for table in TABLES {
            let columns: String = sqlx::query_scalar(
                "SELECT CAST(GROUP_CONCAT(column_name ORDER BY ordinal_position) AS CHAR) \
                 FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?",
            )
            .bind(table)
            .fetch_one(&mut conn)
            .await
            .unwrap();
            let sql = format!("SELECT id, CAST(JSON_ARRAY({columns}) AS CHAR) FROM {table}");
            let rows = sqlx::query(AssertSqlSafe(sql))
                .fetch_all(&mut conn)
                .await
                .unwrap();
            for row in rows {
                let key: i32 = row.get(0);
                let text: String = row.get(1);
                out.insert(
                    (table.to_owned(), i64::from(key)),
                    Sha256::digest(text).into(),
                );
            }
        }
        out
    };
    access_and_erasure(&backend, snapshot).await;
}

/// `custodia datasets check` through the binary: a column the live database lacks is
/// named and the exit code is 1; the environment overrides the URL in config.toml;
/// a URL's password never appears in what it prints.
#[test]
fn datasets_check_names_what_the_live_schema_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    crate::install::init_data_dir(&data);
    let mut register = std::fs::read_to_string(crate::support::example("saas.toml")).unwrap();
    register
        .push_str(&std::fs::read_to_string(crate::support::example("datasets/shop.toml")).unwrap());
    std::fs::write(data.join("register.toml"), register).unwrap();
    let mut config = std::fs::read_to_string(data.join("config.toml")).unwrap();
    config.push_str("\n[connections.shop]\nurl = \"sqlite://shop.db\"\n");
    std::fs::write(data.join("config.toml"), config).unwrap();
    let create = |path: &std::path::Path, schema: &str| {
        rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(schema)
            .unwrap();
    };
    create(
        &data.join("shop.db"),
        &SCHEMA.replace("    phone TEXT, ", "    "),
    );
    let good = dir.path().join("good.db");
    create(&good, &format!("{SCHEMA}{}", seed_sql()));

    let check = |env: Option<(&str, String)>| {
        let mut cmd = crate::support::custodia();
        cmd.args(["datasets", "check", "--data-dir"]).arg(&data);
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, text) = check(None);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("shop: customers.phone: no such column"),
        "{text}"
    );
    let (code, text) = check(Some((
        "CUSTODIA_CONNECTION_SHOP_URL",
        format!("sqlite://{}", good.display()),
    )));
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("shop: 5 tables match the live schema"),
        "{text}"
    );

    // The dry run: what access would return and erasure would change; nothing changes.
    let before = std::fs::read(&good).unwrap();
    let out = crate::support::custodia()
        .args([
            "datasets",
            "preview",
            "--email",
            "CUSTOMER1234@shop.example",
            "--data-dir",
        ])
        .arg(&data)
        .env(
            "CUSTODIA_CONNECTION_SHOP_URL",
            format!("sqlite://{}", good.display()),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let preview: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tables = preview[0]["access"]["tables"].as_array().unwrap();
    let rows: usize = tables
        .iter()
        .map(|t| t["rows"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows, 1 + 1 + 3 + 6 + 1);
    let summary = preview[0]["erasure"]["summary"].as_str().unwrap();
    assert!(summary.starts_with("customers: 1 updated"), "{summary}");
    assert!(summary.contains("tickets: 1 deleted"), "{summary}");
    assert_eq!(
        std::fs::read(&good).unwrap(),
        before,
        "a dry run changes nothing"
    );
    let (code, text) = check(Some((
        "CUSTODIA_CONNECTION_SHOP_URL",
        "postgres://shop:s3cret-pass@127.0.0.1:9/shop".to_owned(),
    )));
    assert_eq!(code, Some(1), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
}

/// Through the binary, a real SMTP server and a seeded SQLite shop: while the shop's
/// database is down, completing an access request answers 503 naming the dataset
/// and leaves the request in progress with the failure in its history; once it is
/// back, completing again delivers a package with exactly the person's shop rows;
/// an erasure request then changes the shop as the register says, audited with
/// counts and column names only.
#[test]
fn rights_requests_reach_the_shop_and_survive_it_being_down() {
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop.db");
    let config = format!(
        "\n[rights]\ndataset_retry_seconds = 0.5\n\n[connections.shop]\nurl = \"sqlite://{}\"\n",
        shop.display()
    );
    let desk = crate::rights::desk_with_config(&config, |register| {
        register.push_str(
            &std::fs::read_to_string(crate::support::example("datasets/shop.toml")).unwrap(),
        );
    });
    let email = "customer1234@shop.example";
    let access = desk
        .submit_verified(serde_json::json!({"kind": "access", "email": email, "language": "en"}));
    let r = desk.step(&access, "dpo", serde_json::json!({"action": "complete"}));
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(
        r.body.contains("dataset `shop`") && r.body.contains("partly done"),
        "{}",
        r.body
    );
    let request = desk.request(&access);
    assert_eq!(request["status"], "in_progress");
    assert!(request.to_string().contains("partly_done"), "{request}");
    // The DPO's console says so on the request, naming the dataset.
    let (dpo, _) = crate::console::sign_in(&desk.install, "dpo", "");
    let page = crate::console::page_of(
        &desk.install,
        &dpo.cookie,
        &format!("/console/requests/{access}"),
    );
    assert!(
        page.body
            .contains("Partly done, retried on its own:</strong> dataset `shop`"),
        "{}",
        page.body
    );

    {
        let conn = rusqlite::Connection::open(&shop).unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn.execute_batch(&format!("BEGIN; {} COMMIT;", seed_sql()))
            .unwrap();
    }
    // Nobody completes it again: the outbox retries it once the shop is back.
    let request = crate::support::eventually(
        "the request completed by the retry",
        std::time::Duration::from_secs(60),
        || {
            let request = desk.request(&access);
            (request["status"] == "completed").then_some(request)
        },
    );
    let history = request["history"].to_string();
    assert!(
        history.contains("system:dataset-retry"),
        "completed by the retry: {history}"
    );
    let page = crate::console::page_of(
        &desk.install,
        &dpo.cookie,
        &format!("/console/requests/{access}"),
    );
    assert!(!page.body.contains("Partly done"), "{}", page.body);
    let package = desk.json_package(email);
    let shop_data = &package["datasets"][0];
    assert_eq!(shop_data["dataset"], "shop");
    let rows = |table: &str| -> Vec<i64> {
        let mut keys: Vec<i64> = shop_data["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == table)
            .map(|t| {
                t["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["key"].as_i64().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        keys.sort_unstable();
        keys
    };
    for (table, keys) in person_rows() {
        assert_eq!(rows(table), keys, "{table}");
    }
    let customer = &shop_data["tables"][0]["rows"][0]["data"];
    assert_eq!(customer["first_name"]["value"], "First1234");
    assert_eq!(customer["first_name"]["category"], "user.name.first");
    // Labelled with the purposes that use the category, as the register says.
    let purposes = customer["first_name"]["purposes"].as_array().unwrap();
    assert!(
        purposes.contains(&Value::from("registration"))
            && !purposes.contains(&Value::from("security")),
        "{purposes:?}"
    );

    // A rectification reaches every column of the category, kept ones included.
    let rectification = desk.submit_verified(serde_json::json!({
        "kind": "rectification", "email": email, "language": "en",
        "changes": {"user.name.last": "Lima"}
    }));
    desk.complete(&rectification, "dpo");
    {
        let conn = rusqlite::Connection::open(&shop).unwrap();
        let names: Vec<String> = conn
            .prepare("SELECT last_name FROM customers WHERE id = 1234 UNION ALL SELECT shipping_name FROM orders WHERE customer_id = 1234")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(names, ["Lima"; 4]);
        let neighbour: String = conn
            .query_row("SELECT last_name FROM customers WHERE id = 1235", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(neighbour, "Last1235");
    }

    let erasure = desk
        .submit_verified(serde_json::json!({"kind": "erasure", "email": email, "language": "en"}));
    desk.complete(&erasure, "dpo");
    let conn = rusqlite::Connection::open(&shop).unwrap();
    let (stored, first): (String, Option<String>) = conn
        .query_row(
            "SELECT email, first_name FROM customers WHERE id = 1234",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(stored.starts_with("pseud_") && first.is_none(), "{stored}");
    let tickets: i64 = conn
        .query_row("SELECT count(*) FROM tickets WHERE id = 1234", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(tickets, 0);
    let entries = |action: &str| desk.audit_details(action);
    let detail = entries("dataset.erase").remove(0);
    assert!(
        detail.contains("dataset shop: customers: 1 updated (email, first_name, last_name, phone)")
            && !detail.contains('@'),
        "{detail}"
    );
    // The staff's attempt, then each retry made before the shop was back.
    assert!(!entries("dataset.failed").is_empty());
    assert_eq!(entries("dataset.read").len(), 1);
    assert!(
        entries("dataset.rectify")[0]
            .contains("customers: 1 updated (last_name); orders: 3 updated (shipping_name)"),
        "{:?}",
        entries("dataset.rectify")
    );
}

/// Through the binary: a requester who wrote from a new address is found in the shop
/// by the phone number the vault holds for them, with the rows that follow.
#[test]
fn a_requester_is_found_in_the_shop_by_the_phone_the_vault_holds() {
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop.db");
    {
        let conn = rusqlite::Connection::open(&shop).unwrap();
        conn.execute_batch(&format!("{SCHEMA} BEGIN; {} COMMIT;", seed_sql()))
            .unwrap();
    }
    let config = format!(
        "\n[connections.shop]\nurl = \"sqlite://{}\"\n",
        shop.display()
    );
    let desk = crate::rights::desk_with_config(&config, |register| {
        register.push_str(
            &std::fs::read_to_string(crate::support::example("datasets/shop.toml")).unwrap(),
        );
    });
    let email = "ana.new@example.org";
    desk.create(
        "customer",
        serde_json::json!({"user.contact.email": email, "user.contact.phone_number": "+33 6 12 34 12 34"}),
    );
    let access = desk
        .submit_verified(serde_json::json!({"kind": "access", "email": email, "language": "en"}));
    desk.complete(&access, "dpo");
    let package = desk.json_package(email);
    let shop_data = &package["datasets"][0];
    let tables: BTreeMap<String, Vec<i64>> = shop_data["tables"]
        .as_array()
        .unwrap_or_else(|| panic!("no shop rows: {}", package["datasets"]))
        .iter()
        .map(|t| {
            let mut keys: Vec<i64> = t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["key"].as_i64().unwrap())
                .collect();
            keys.sort_unstable();
            (t["table"].as_str().unwrap().to_owned(), keys)
        })
        .collect();
    let expected: BTreeMap<String, Vec<i64>> = person_rows()
        .into_iter()
        .map(|(t, k)| (t.to_owned(), k))
        .collect();
    assert_eq!(tables, expected);
}

/// A CRM's contacts, reached over HTTP at `[connections.crm]`.
const CRM: &str = r#"
[[datasets]]
id = "crm"
name = { en = "Our CRM", fr = "Notre CRM" }
connection = "crm"

[[datasets.tables]]
name = "contacts"
key = "id"
identities = [{ kind = "email", column = "email" }]
fields = [
  { column = "email", category = "user.contact.email", erase = "delete_row" },
  { column = "first_name", category = "user.name.first", erase = "delete_row" },
]
"#;

/// A CRM that needs time, through the binary: it answers a question with
/// `{"pending": true}`, then posts its answer to the question's `answer_to`. A forged
/// or malformed answer, or one signed for another request, is refused and changes
/// nothing; the signed one completes the request on its own, with the CRM's rows in
/// the package; a late second answer is refused. An erasure waits for the look,
/// then for the erasure, and completes with both.
#[test]
fn a_crm_that_answers_later_completes_the_request_when_it_posts() {
    const SECRET: &str = "crm-signing-secret-0123";
    let hooks = crate::rights::Hooks::start();
    let crm = &hooks.receiver;
    crm.answer("dataset.access", r#"{"pending": true}"#);
    let config = format!(
        "\n[connections.crm]\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
        crm.url("/custodia/crm")
    );
    let desk = crate::rights::desk_with_config(&config, |register| register.push_str(CRM));
    let email = "ana@example.org";
    let access = desk
        .submit_verified(serde_json::json!({"kind": "access", "email": email, "language": "en"}));
    let r = desk.step(&access, "dpo", serde_json::json!({"action": "complete"}));
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("answers later"), "{}", r.body);
    assert_eq!(desk.request(&access)["status"], "in_progress");
    let question = hooks
        .wait_for(1)
        .into_iter()
        .find(|d| d.path == "/custodia/crm")
        .unwrap();
    let question: Value = serde_json::from_slice(&question.body).unwrap();
    let answer_to = question["answer_to"].as_str().unwrap();
    assert!(
        answer_to.starts_with(crate::install::PUBLIC_URL)
            && answer_to.ends_with(&format!("/v1/requests/{access}/datasets/crm/answer")),
        "{answer_to}"
    );
    #[allow(clippy::disallowed_methods)]
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    // Posts `body` to the public `to`, signed with `secret`.
    let post_to = |to: &str, secret: &str, body: &str| {
        let signature = custodia_notify::sign(secret.as_bytes(), now, body.as_bytes());
        crate::support::request(
            "POST",
            &desk.install.reach(to),
            &[
                ("content-type", "application/json"),
                ("custodia-signature", &signature),
            ],
            Some(body),
        )
    };
    let post = |secret: &str, body: &str| post_to(answer_to, secret, body);
    let answer = serde_json::json!({
        "answer_to": answer_to, "event": "dataset.access",
        "tables": [{"name": "contacts", "rows": [{"key": "c-77", "data": {"email": "ana@example.org", "first_name": "Ana"}}]}]
    })
    .to_string();
    let r = post("not-the-crm-secret-0123", &answer);
    assert_eq!(r.status, 403, "{}", r.body);
    let malformed = serde_json::json!({
        "answer_to": answer_to, "event": "dataset.access",
        "tables": [{"name": "contacts", "rows": "Ana"}]
    });
    let r = post(SECRET, &malformed.to_string());
    assert_eq!(r.status, 422, "{}", r.body);
    // Signed, but for another request: the signature covers where it goes.
    let elsewhere = answer.replace(&access, "0190a1b2-0000-7000-8000-000000000000");
    let r = post(SECRET, &elsewhere);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("answer_to"), "{}", r.body);
    assert_eq!(desk.request(&access)["status"], "in_progress");

    let r = post(SECRET, &answer);
    assert_eq!(r.status, 204, "{}", r.body);
    crate::support::eventually(
        "the request completed with the answer",
        std::time::Duration::from_secs(30),
        || (desk.request(&access)["status"] == "completed").then_some(()),
    );
    let package = desk.json_package(email);
    let row = &package["datasets"][0]["tables"][0]["rows"][0];
    assert_eq!(row["key"], "c-77");
    assert_eq!(row["data"]["first_name"]["value"], "Ana");
    let history = desk.request(&access)["history"].to_string();
    assert!(history.contains("dataset_answered"), "{history}");
    let r = post(SECRET, &answer);
    assert_eq!(r.status, 409, "{}", r.body);

    // An erasure waits the same way: for the look, then for the erasure itself.
    crm.answer("dataset.erase", r#"{"pending": true}"#);
    let erasure = desk
        .submit_verified(serde_json::json!({"kind": "erasure", "email": email, "language": "en"}));
    let r = desk.step(&erasure, "dpo", serde_json::json!({"action": "complete"}));
    assert_eq!(r.status, 503, "{}", r.body);
    let erasure_to = answer_to.replace(&access, &erasure);
    let look = answer.replace(&access, &erasure);
    assert_eq!(post_to(&erasure_to, SECRET, &look).status, 204);
    let asked = hooks.wait_for(3);
    assert_eq!(
        asked.last().unwrap().header("custodia-event"),
        Some("dataset.erase"),
        "the retry asked the CRM to erase, with the look it was given"
    );
    assert_eq!(desk.request(&erasure)["status"], "in_progress");
    let erased = serde_json::json!({
        "answer_to": erasure_to, "event": "dataset.erase",
        "tables": [{"name": "contacts", "rows_deleted": 1}]
    });
    assert_eq!(
        post_to(&erasure_to, SECRET, &erased.to_string()).status,
        204
    );
    crate::support::eventually(
        "the erasure completed with the CRM's answer",
        std::time::Duration::from_secs(30),
        || (desk.request(&erasure)["status"] == "completed").then_some(()),
    );
    let erased = desk.audit_details("dataset.erase");
    assert!(
        erased
            .iter()
            .any(|d| d.contains("dataset crm: contacts: 1 deleted")),
        "{erased:?}"
    );
}

/// A CRM reached over HTTP (a test receiver answering signed JSON questions), through
/// the binary and a real SMTP server: while it answers 503, completing an access
/// request leaves it partly done; then the package carries the CRM's declared
/// columns only, every question is signed with the connection's secret and names the
/// person by the normalised address, and an erasure asks the CRM to erase.
#[test]
fn a_crm_over_http_is_asked_signed_questions() {
    const SECRET: &str = "crm-signing-secret-0123";
    let hooks = crate::rights::Hooks::start();
    let crm = &hooks.receiver;
    crm.answer(
        "dataset.access",
        r#"{"tables": [{"name": "contacts", "rows": [{"key": "c-77", "data": {"email": "ana@example.org", "first_name": "Ana", "score": "99"}}]}]}"#,
    );
    crm.answer(
        "dataset.erase",
        r#"{"tables": [{"name": "contacts", "rows_deleted": 1}]}"#,
    );
    let config = format!(
        "\n[connections.crm]\nurl = \"{}\"\nsecret = \"{SECRET}\"\n",
        crm.url("/custodia/crm")
    );
    let desk = crate::rights::desk_with_config(&config, |register| register.push_str(CRM));
    let email = "ana@example.org";
    let access = desk.submit_verified(
        serde_json::json!({"kind": "access", "email": "Ana@Example.org", "language": "en"}),
    );
    crm.fail_next(1, 503);
    let r = desk.step(&access, "dpo", serde_json::json!({"action": "complete"}));
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("dataset `crm`"), "{}", r.body);
    desk.complete(&access, "dpo");
    let package = desk.json_package(email);
    let row = &package["datasets"][0]["tables"][0]["rows"][0];
    assert_eq!(row["key"], "c-77");
    assert_eq!(row["data"]["first_name"]["value"], "Ana");
    assert!(
        row["data"].get("score").is_none(),
        "undeclared columns stay out: {row}"
    );

    let erasure = desk
        .submit_verified(serde_json::json!({"kind": "erasure", "email": email, "language": "en"}));
    desk.complete(&erasure, "dpo");
    let questions: Vec<crate::support::webhook::Delivery> = hooks
        .wait_for(4)
        .into_iter()
        .filter(|d| d.path == "/custodia/crm")
        .collect();
    let events: Vec<&str> = questions
        .iter()
        .map(|d| d.header("custodia-event").unwrap())
        .collect();
    // The refused access, the access, then the erasure's look and its erasure.
    assert_eq!(
        events,
        [
            "dataset.access",
            "dataset.access",
            "dataset.access",
            "dataset.erase"
        ]
    );
    #[allow(clippy::disallowed_methods)]
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    for question in &questions {
        let signature = question.header("custodia-signature").unwrap();
        assert!(
            custodia_notify::verify_signature(
                SECRET.as_bytes(),
                signature,
                &question.body,
                now,
                300
            ),
            "unsigned question"
        );
        let body: Value = serde_json::from_slice(&question.body).unwrap();
        assert_eq!(body["identities"]["email"], email);
    }
    let erased = desk.audit_details("dataset.erase");
    assert!(
        erased[0].contains("dataset crm: contacts: 1 deleted"),
        "{erased:?}"
    );
}

/// Through the binary: the retention sweep erases the shop's tickets past the rule
/// that keeps them (three years from `opened_at`) by the table's strategies; a dry
/// run counts them and changes nothing; a second sweep finds nothing; the person's
/// recent ticket stays.
#[test]
fn the_sweep_erases_dataset_rows_past_their_retention() {
    use custodia_connectors::fixture::OLD_ROWS_BELOW;
    let dir = tempfile::tempdir().unwrap();
    let shop = dir.path().join("shop.db");
    {
        let conn = rusqlite::Connection::open(&shop).unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn.execute_batch(&format!("BEGIN; {} COMMIT;", seed_sql()))
            .unwrap();
    }
    let config = format!(
        "\n[connections.shop]\nurl = \"sqlite://{}\"\n",
        shop.display()
    );
    let desk = crate::rights::desk_with_config(&config, |register| {
        register.push_str(
            &std::fs::read_to_string(crate::support::example("datasets/shop.toml")).unwrap(),
        );
    });
    let tickets = || -> i64 {
        rusqlite::Connection::open(&shop)
            .unwrap()
            .query_row("SELECT count(*) FROM tickets", [], |r| r.get(0))
            .unwrap()
    };
    let old = (1..OLD_ROWS_BELOW).filter(|i| i % 2 == 0).count() as u64;
    let before = tickets();
    // Rows erased by the tickets' rule and by the orders' rule.
    let run = |dry_run: bool| -> (u64, u64) {
        let r = desk.call(
            "POST",
            "/v1/retention/run",
            Some("dpo"),
            Some(serde_json::json!({ "dry_run": dry_run })),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let rules = &r.json()["rules"];
        let deleted = |rule: &str| rules[rule]["deleted"].as_u64().unwrap_or(0);
        (deleted("support-conversations"), deleted("invoices"))
    };
    // Orders are kept ten years from `ordered_on`; then their kept name is overwritten.
    let old_orders = 3 * (OLD_ROWS_BELOW as u64 - 1);
    let erased_names = || -> u64 {
        rusqlite::Connection::open(&shop)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM orders WHERE shipping_name = 'erased'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n as u64)
            .unwrap()
    };
    assert_eq!(run(true), (old, old_orders));
    assert_eq!(tickets(), before, "a dry run changes nothing");
    assert_eq!(erased_names(), 0, "a dry run changes nothing");
    assert_eq!(run(false), (old, old_orders));
    assert_eq!(tickets(), before - old as i64);
    assert_eq!(erased_names(), old_orders);
    let first_recent: String = rusqlite::Connection::open(&shop)
        .unwrap()
        .query_row(
            &format!("SELECT shipping_name FROM orders WHERE customer_id = {OLD_ROWS_BELOW}"),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(first_recent, format!("Last{OLD_ROWS_BELOW}"));
    assert_eq!(run(false), (0, 0), "nothing left past its retention");
    let kept: i64 = rusqlite::Connection::open(&shop)
        .unwrap()
        .query_row("SELECT count(*) FROM tickets WHERE id = 1234", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kept, 1);
    let details = desk.audit_details("retention.dataset");
    assert_eq!(details.len(), 2, "{details:?}");
    assert!(
        details
            .iter()
            .any(|d| d.contains(&format!("dataset shop: tickets: {old} deleted"))),
        "{details:?}"
    );
    assert!(
        details.iter().any(|d| d.starts_with("rule invoices")
            && d.contains(&format!("orders: {old_orders} updated (shipping_name)"))),
        "{details:?}"
    );
}
