//! A TCP proxy the tests put between a server and a service it needs, to take the service
//! away from that server alone and give it back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use tokio::task::JoinHandle;

use crate::pg::Schema;

/// A TCP proxy in front of a local service (PostgreSQL or Redis) that a test can cut and
/// restore, so a server sees the service go away and come back while everyone else still
/// reaches it. While cut, every connection through it is closed and new ones are accepted
/// and closed at once (so a server sees resets rather than refusals). The port stays
/// bound throughout: released, another socket on the machine could take it meanwhile.
pub struct Proxy {
    pub port: u16,
    open: Arc<AtomicBool>,
    relays: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Proxy {
    /// Starts relaying a free loopback port to `127.0.0.1:target`.
    pub async fn start(target: u16) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let open = Arc::new(AtomicBool::new(true));
        let relays: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = tokio::spawn({
            let (open, relays) = (open.clone(), relays.clone());
            async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    // A cut between this check and the push below would miss this relay;
                    // the tests' runtimes run one task at a time, so none falls between.
                    if !open.load(Ordering::Acquire) {
                        continue;
                    }
                    let relay = tokio::spawn(async move {
                        if let Ok(mut outbound) =
                            tokio::net::TcpStream::connect(("127.0.0.1", target)).await
                        {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                    let mut relays = relays.lock().expect("relays lock");
                    relays.retain(|r| !r.is_finished());
                    relays.push(relay);
                }
            }
        });
        Ok(Self {
            port,
            open,
            relays,
            accept,
        })
    }

    /// The schema's PostgreSQL URL, through the proxy.
    pub fn pg_url(&self, schema: &Schema) -> String {
        schema.url().replace(":5432/", &format!(":{}/", self.port))
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.open.store(true, Ordering::Release);
    }

    /// Closes every connection through the proxy, and each new one as it arrives.
    pub fn cut(&self) {
        self.open.store(false, Ordering::Release);
        for relay in self.relays.lock().expect("relays lock").drain(..) {
            relay.abort();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
