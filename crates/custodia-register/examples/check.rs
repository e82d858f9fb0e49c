fn main() {
    for p in std::env::args().skip(1) {
        match custodia_register::load(std::path::Path::new(&p)) {
            Ok(_) => println!("{p}: ok"),
            Err(e) => println!("{e}"),
        }
    }
}
