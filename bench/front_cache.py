"""The repo's front cache (config/nginx-standalone.conf with
config/nginx-front-cache.conf) run by Debian's nginx in front of a site on this
machine: for `make bench` and for the test that checks what it caches.

The config files are used as shipped; only the addresses and paths that depend on
the machine are replaced, each of which must occur exactly once, so a change to the
shipped files that this run would miss fails loudly instead."""

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from bench.servers import HOST, free_port, nginx_binary, process_group, wait_until_serving

CONFIG_DIR = Path(settings.BASE_DIR) / "config"
SITE_CONFIG = CONFIG_DIR / "nginx-standalone.conf"
RULES = CONFIG_DIR / "nginx-front-cache.conf"
INSTALLED_RULES = "include /etc/nginx/snippets/blog-front-cache.conf;"
SHIPPED_UPSTREAM = "server 127.0.0.1:8000;"
SHIPPED_LISTEN = "listen 80;"
SHIPPED_CACHE_PATH = "/var/cache/nginx/blog "
SHIPPED_MEDIA = "/srv/blog/media/"


def site_config(upstream, port, workdir):
    """The shipped site config, pointed at `upstream` ("host:port"), listening on
    HOST:`port`, with its cache and uploads in `workdir`."""
    text = SITE_CONFIG.read_text()
    replacements = {
        SHIPPED_UPSTREAM: f"server {upstream};",
        SHIPPED_LISTEN: f"listen {HOST}:{port};",
        SHIPPED_CACHE_PATH: f"{workdir / 'front-cache'} ",
        INSTALLED_RULES: f"include {RULES};",
        SHIPPED_MEDIA: f"{workdir / 'media'}/",
    }
    for shipped, local in replacements.items():
        if text.count(shipped) != 1:
            raise ValueError(f"{SITE_CONFIG.name} should hold {shipped!r} exactly once")
        text = text.replace(shipped, local)
    return text


def main_config(site, workdir, workers):
    """nginx.conf around the site config: foreground, everything it writes in workdir."""
    return (
        f"daemon off;\nworker_processes {workers};\npid {workdir}/front-nginx.pid;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        "    access_log off;\n"
        "    sendfile on;\n"  # as Debian's and the Docker image's nginx.conf
        "    tcp_nopush on;\n"
        "    default_type text/html;\n"
        f"    client_body_temp_path {workdir}/front-body;\n"
        f"    proxy_temp_path {workdir}/front-proxy;\n"
        f"    fastcgi_temp_path {workdir}/front-fastcgi;\n"
        f"    uwsgi_temp_path {workdir}/front-uwsgi;\n"
        f"    scgi_temp_path {workdir}/front-scgi;\n"
        f"{site}\n"
        "}\n"
    )


@contextmanager
def front_cache(upstream, *, workers="auto", ready_path="/healthz", log_dir=None):
    """nginx with the front cache in front of `upstream` ("host:port"); yields its
    base URL. Stopped (with its process group) when the block ends; its error log is
    copied to `log_dir`, if given."""
    # A folder of its own under /tmp: nginx's workers (an unprivileged user when
    # started as root) must walk through every parent of their cache.
    with tempfile.TemporaryDirectory(prefix="front-cache-") as workdir:
        workdir = Path(workdir)
        workdir.chmod(0o755)
        port = free_port()
        config = workdir / "front-nginx.conf"
        config.write_text(main_config(site_config(upstream, port, workdir), workdir, workers))
        log_path = workdir / "front-nginx-error.log"
        command = [nginx_binary(), "-p", str(workdir), "-c", str(config), "-e", str(log_path)]
        try:
            with process_group(command, log_path=workdir / "front-nginx-output.log") as process:
                base_url = f"http://{HOST}:{port}"
                wait_until_serving(base_url + ready_path, process, log_path)
                yield base_url
        finally:
            if log_dir is not None and log_path.exists():
                shutil.copy(log_path, Path(log_dir) / log_path.name)
