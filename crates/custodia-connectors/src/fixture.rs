//! A seeded shop for tests and benchmarks: customers, an address each, three orders
//! each with two lines, and a support ticket for every other customer, in SQL that
//! PostgreSQL and SQLite both run. The dataset declaring it is
//! `examples/datasets/shop.toml`.

pub const CUSTOMERS: i64 = 2000;
/// The person asking: customer 1234, whose e-mail the shop stored in capitals.
pub const PERSON: i64 = 1234;
/// Another customer who ships to the person's address: that row is shared.
pub const NEIGHBOUR: i64 = 2000;

pub const SCHEMA: &str = "
CREATE TABLE addresses (id INTEGER PRIMARY KEY, street TEXT NOT NULL, postal_code TEXT, city TEXT);
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, first_name TEXT, last_name TEXT NOT NULL,
    phone TEXT, address_id INTEGER REFERENCES addresses(id));
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
    total_cents INTEGER NOT NULL, shipping_name TEXT NOT NULL, ordered_on DATE NOT NULL);
CREATE TABLE order_lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id),
    product TEXT NOT NULL, gift_message TEXT);
CREATE TABLE tickets (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id),
    email TEXT NOT NULL, body TEXT NOT NULL, opened_at DATE NOT NULL);
";

/// The indexes a shop has on its foreign keys and e-mail addresses. The e-mail
/// indexes are on `lower(email)`, the form the connectors compare (PostgreSQL and
/// SQLite; MariaDB has no index on an expression).
pub const INDEXES: &str = "
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX tickets_customer ON tickets (customer_id);
CREATE INDEX customers_address ON customers (address_id);
CREATE INDEX customers_email ON customers (lower(email));
CREATE INDEX tickets_email ON tickets (lower(email));
";

pub const TABLES: [&str; 5] = ["addresses", "customers", "orders", "order_lines", "tickets"];

pub fn email_of(i: i64) -> String {
    if i == PERSON {
        "Customer1234@Shop.EXAMPLE".to_owned()
    } else {
        format!("customer{i}@shop.example")
    }
}

/// When a customer's ticket was opened: long ago for the first thousand customers
/// (past three years), this year for the others.
pub fn opened_on(i: i64) -> &'static str {
    if i < OLD_ROWS_BELOW {
        "2019-05-01"
    } else {
        "2026-06-01"
    }
}

/// When a customer's orders were placed: long ago for the first thousand customers
/// (past ten years), this year for the others.
pub fn ordered_on(i: i64) -> &'static str {
    if i < OLD_ROWS_BELOW {
        "2014-05-01"
    } else {
        "2026-06-01"
    }
}

/// Tickets and orders of customers below this number are old.
pub const OLD_ROWS_BELOW: i64 = 1000;

/// The seed as SQL both databases run: multi-row inserts of generated values.
pub fn seed_sql() -> String {
    let mut sql = String::new();
    let mut insert = |table: &str, rows: Vec<String>| {
        for chunk in rows.chunks(500) {
            sql.push_str(&format!(
                "INSERT INTO {table} VALUES {};\n",
                chunk.join(", ")
            ));
        }
    };
    insert(
        "addresses",
        (1..=CUSTOMERS)
            .map(|i| format!("({i}, '{i} rue du Commerce', '750{:02}', 'Paris')", i % 20))
            .collect(),
    );
    insert(
        "customers",
        (1..=CUSTOMERS)
            .map(|i| {
                let address = if i == NEIGHBOUR { PERSON } else { i };
                format!(
                    "({i}, '{}', 'First{i}', 'Last{i}', '+3361234{i:04}', {address})",
                    email_of(i)
                )
            })
            .collect(),
    );
    insert(
        "orders",
        (1..=CUSTOMERS)
            .flat_map(|i| {
                (0..3).map(move |k| {
                    format!(
                        "({}, {i}, {}, 'Last{i}', '{}')",
                        i * 3 + k,
                        1000 + k,
                        ordered_on(i)
                    )
                })
            })
            .collect(),
    );
    insert(
        "order_lines",
        (1..=CUSTOMERS)
            .flat_map(|i| (0..3).map(move |k| i * 3 + k))
            .flat_map(|o| {
                (0..2)
                    .map(move |k| format!("({}, {o}, 'product {k}', 'a gift for {o}')", o * 2 + k))
            })
            .collect(),
    );
    insert(
        "tickets",
        (1..=CUSTOMERS)
            .filter(|i| i % 2 == 0)
            .map(|i| {
                format!(
                    "({i}, {i}, '{}', 'where is my order {i}?', '{}')",
                    email_of(i),
                    opened_on(i)
                )
            })
            .collect(),
    );
    sql
}
