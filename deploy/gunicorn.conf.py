"""Gunicorn settings for production (`make serve` runs them):

    gunicorn -c deploy/gunicorn.conf.py "mentormatch:create_app()"

Every value can be changed from the environment, so the same file serves a small VM and a
bigger one. The app itself reads its settings (DATABASE_URL, SECRET_KEY, PUBLIC_URL,
PROXY_COUNT, RATELIMIT_STORAGE_URI, …) from the environment too; see the README.
"""

import multiprocessing
import os

# Where the reverse proxy (nginx, a load balancer) sends requests: loopback by default.
bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two processes per core; each serves a few requests at once on threads, so one slow
# client does not hold a whole process, and a long export (up to 19 s at 20,000 x 5,000)
# is not killed at the time-out. One request per process (sync workers) kept the slowest
# 1 % of waits about 3x shorter in the load test: docs/decisions/027 says what must change
# first.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request that takes longer than this is stuck: the process is replaced. No request
# talks to SMTP or builds anything slow, so 30 s is generous.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (slow leaks stay small). A new worker starts
# cold (imports, the mapped index, kept records and catalogues: a few seconds of slow pages),
# so not too often: at 2,000 a busy suggestions page replaced each worker every 20 s.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50_000))
max_requests_jitter = max_requests // 10
# Access log on stdout (journald or the container log keeps it), errors on stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# The app decides which X-Forwarded-* headers to believe (PROXY_COUNT, ProxyFix);
# gunicorn passes them through unchanged.
forwarded_allow_ips = "*"
