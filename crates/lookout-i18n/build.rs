//! Rebuilds the crate when a catalog changes: the catalogs live outside the crate's folder
//! (the window reads them too), where cargo does not always look for changes on its own.

fn main() {
    for file in ["../../locales/en.ftl", "../../locales/ko.ftl"] {
        println!("cargo:rerun-if-changed={file}");
    }
}
