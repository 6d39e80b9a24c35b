//! HTTP from tests: POST signed headers and a body to a listener.

/// A one-shot tokio runtime for HTTP from tests.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// POSTs `body` with `headers` to `url`; returns the status.
pub(crate) fn post(url: &str, headers: &[(String, String)], body: Vec<u8>) -> u16 {
    block_on(async {
        let mut request = reqwest::Client::new()
            .post(url)
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        request.send().await.expect("send").status().as_u16()
    })
}

/// Splits `Name: value` lines into pairs.
pub(crate) fn pairs(lines: &[String]) -> Vec<(String, String)> {
    lines
        .iter()
        .map(|l| {
            let (n, v) = l.split_once(": ").expect("Name: value");
            (n.to_owned(), v.to_owned())
        })
        .collect()
}
