//! What WebKit is told through the environment before it starts, so that opening the window
//! once does not leave the GL driver loaded in the tray process for the rest of its life.
//!
//! WebKitGTK's UI process (this process) sets up an EGL display the first time a page loads:
//! for the DMA-BUF renderer, and to learn the GPU's render node for the web process. The EGL
//! display is never torn down, so the GL driver (Mesa with LLVM: about 9 MiB of relocated
//! pages) would stay in the tray long after the window is closed. With the DMA-BUF renderer off
//! and the render node given, the UI process needs no EGL at all; the web process, which does
//! the drawing and exits with the window, still gets its own GL. Both are only defaults: a
//! variable the user set is left alone (`WEBKIT_DISABLE_DMABUF_RENDERER=0` brings the DMA-BUF
//! renderer back).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

const DISABLE_DMABUF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
const RENDER_DEVICE: &str = "WEBKIT_WEB_RENDER_DEVICE_FILE";
/// Where DRM render nodes live; the first one is what WebKit would pick for a single GPU.
const DRI_DIR: &str = "/dev/dri";
/// Used when the machine has no render node (a VM, a virtual display): WebKit only passes it
/// on, and the web process falls back to software GL as it would anyway.
const FALLBACK_RENDER_NODE: &str = "/dev/dri/renderD128";

/// Sets the defaults in this process's environment. Call first thing in `main`, before any
/// thread is started (the environment is not safe to change while other threads read it).
pub fn configure() {
    let nodes = render_nodes(Path::new(DRI_DIR));
    for (name, value) in defaults(|name| std::env::var_os(name), &nodes) {
        std::env::set_var(name, value);
    }
}

/// The variables to set: those the user has not set already.
pub fn defaults(
    get: impl Fn(&str) -> Option<OsString>,
    render_nodes: &[PathBuf],
) -> Vec<(&'static str, OsString)> {
    let mut out = Vec::new();
    let dmabuf = get(DISABLE_DMABUF);
    if dmabuf.is_none() {
        out.push((DISABLE_DMABUF, OsString::from("1")));
    }
    // The render node only spares the EGL display when the DMA-BUF renderer is off; WebKit
    // turns it off for any value but "0".
    let dmabuf_off = dmabuf.is_none_or(|v| v != "0");
    if dmabuf_off && get(RENDER_DEVICE).is_none_or(|v| v.is_empty()) {
        let node = render_nodes.first().map_or_else(
            || OsString::from(FALLBACK_RENDER_NODE),
            |p| p.clone().into_os_string(),
        );
        out.push((RENDER_DEVICE, node));
    }
    out
}

/// The DRM render nodes in `dir` (`renderD128`, `renderD129`, ...), in order.
pub fn render_nodes(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut nodes: Vec<(u32, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name();
            let number = name.to_str()?.strip_prefix("renderD")?.parse().ok()?;
            Some((number, e.path()))
        })
        .collect();
    nodes.sort();
    nodes.into_iter().map(|(_, path)| path).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn set(pairs: Vec<(&'static str, OsString)>) -> Vec<(&'static str, String)> {
        pairs
            .into_iter()
            .map(|(k, v)| (k, v.to_string_lossy().into_owned()))
            .collect()
    }

    #[test]
    fn an_untouched_environment_gets_both_defaults_with_the_first_render_node() {
        let nodes = [PathBuf::from("/dev/dri/renderD129")];
        assert_eq!(
            set(defaults(env(&[]), &nodes)),
            vec![
                (DISABLE_DMABUF, "1".into()),
                (RENDER_DEVICE, "/dev/dri/renderD129".into())
            ]
        );
        assert_eq!(
            set(defaults(env(&[]), &[])),
            vec![
                (DISABLE_DMABUF, "1".into()),
                (RENDER_DEVICE, FALLBACK_RENDER_NODE.into())
            ],
            "no render node: the usual first one is named"
        );
    }

    #[test]
    fn what_the_user_set_is_kept() {
        let nodes = [PathBuf::from("/dev/dri/renderD128")];
        assert_eq!(
            set(defaults(env(&[(DISABLE_DMABUF, "0")]), &nodes)),
            vec![],
            "the DMA-BUF renderer asked for: it needs EGL in this process anyway"
        );
        assert_eq!(
            set(defaults(
                env(&[
                    (DISABLE_DMABUF, "1"),
                    (RENDER_DEVICE, "/dev/dri/renderD130")
                ]),
                &nodes
            )),
            vec![]
        );
        assert_eq!(
            set(defaults(
                env(&[(RENDER_DEVICE, "/dev/dri/renderD130")]),
                &nodes
            )),
            vec![(DISABLE_DMABUF, "1".into())]
        );
        assert_eq!(
            set(defaults(env(&[(DISABLE_DMABUF, "")]), &nodes)),
            vec![(RENDER_DEVICE, "/dev/dri/renderD128".into())],
            "set but empty: WebKit reads that as off, so the render node is still named"
        );
    }

    #[test]
    fn render_nodes_are_found_in_order_and_other_files_ignored() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        for name in ["renderD129", "card0", "renderD128", "renderDx", "by-path"] {
            std::fs::write(dir.path().join(name), "").expect("write");
        }
        assert_eq!(
            render_nodes(dir.path()),
            vec![dir.path().join("renderD128"), dir.path().join("renderD129")]
        );
        assert!(render_nodes(&dir.path().join("missing")).is_empty());
    }
}
