//! [`TrackedIo`]: a socket that dates each byte read or written, for the idle
//! timeout.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::activity::Activity;

pin_project_lite::pin_project! {
    /// Forwards everything to `inner`, touching the activity whenever bytes
    /// move (not on would-block, errors or end of stream).
    #[derive(Debug)]
    pub(crate) struct TrackedIo<T> {
        #[pin]
        inner: T,
        activity: Arc<Activity>,
    }
}

impl<T> TrackedIo<T> {
    pub(crate) fn new(inner: T, activity: Arc<Activity>) -> Self {
        Self { inner, activity }
    }
}

impl<T: AsyncRead> AsyncRead for TrackedIo<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.project();
        let before = buf.filled().len();
        let result = this.inner.poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.touch();
        }
        result
    }
}

impl<T: AsyncWrite> AsyncWrite for TrackedIo<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.project();
        let result = this.inner.poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        result
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.project();
        let result = this.inner.poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().inner.poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().inner.poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::time::Instant;

    use super::super::activity::IdleCheck;
    use super::*;

    const IDLE: Duration = Duration::from_millis(200);

    #[tokio::test(start_paused = true)]
    async fn reads_and_writes_count_as_activity() {
        let start = Instant::now();
        let activity = Arc::new(Activity::new(start));
        let (ours, mut theirs) = tokio::io::duplex(64);
        let mut io = TrackedIo::new(ours, Arc::clone(&activity));

        tokio::time::advance(Duration::from_millis(150)).await;
        theirs.write_all(b"GET").await.expect("write");
        let mut buf = [0u8; 3];
        io.read_exact(&mut buf).await.expect("read");
        assert_eq!(
            activity.check(start + IDLE, IDLE),
            IdleCheck::WaitUntil(start + Duration::from_millis(350))
        );

        tokio::time::advance(Duration::from_millis(150)).await;
        io.write_all(b"200").await.expect("write");
        assert_eq!(
            activity.check(start + Duration::from_millis(350), IDLE),
            IdleCheck::WaitUntil(start + Duration::from_millis(500))
        );

        // End of stream is not activity.
        drop(theirs);
        tokio::time::advance(Duration::from_millis(300)).await;
        assert_eq!(io.read(&mut buf).await.expect("eof"), 0);
        assert_eq!(activity.check(Instant::now(), IDLE), IdleCheck::Close);
    }
}
