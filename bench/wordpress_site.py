"""Debian's WordPress (6.1), run for a measurement without touching the machine's
services: its own MariaDB on a unix socket, PHP-FPM on a unix socket and nginx on
127.0.0.1:<free port>, all from config files in a temporary folder, each in a process
group of its own that is stopped when the `with` block ends, however it ends.

Debian's WordPress reads `/etc/wordpress/config-<name>.php`; the one file written
outside the temporary folder is such a config under a name of this run's own
(`editorbench-<pid>`), removed at the end. Uploads, plugins and must-use plugins live
in the temporary `wp-content`, not in Debian's shared `/var/lib/wordpress`.

Packages (Debian 12): nginx php-fpm php php-mysql php-xml php-mbstring php-gd
mariadb-server, then wordpress and wordpress-theme-twentytwentyone (`make bench-editor`
installs them when missing).
"""

import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from bench.servers import HOST, free_port, process_group, tail

WORDPRESS_ROOT = Path("/usr/share/wordpress")
DEBIAN_CONFIG_DIR = Path("/etc/wordpress")
START_TIMEOUT_SECONDS = 60
PACKAGES = (
    "nginx php-fpm php php-mysql php-xml php-mbstring php-gd mariadb-server "
    "wordpress wordpress-theme-twentytwentyone"
)
# What the journey's author files the post under: a blog has its categories already.
CATEGORY = "Careers"
USERNAME = "author"

# The classic editor instead of the block editor, for every post type.
CLASSIC_EDITOR_PLUGIN = """<?php
/* Plugin Name: Classic editor (bench) */
add_filter('use_block_editor_for_post', '__return_false');
add_filter('use_block_editor_for_post_type', '__return_false');
"""


@dataclass
class WordPress:
    url: str
    username: str
    password: str
    version: str
    workdir: Path
    config_name: str = ""  # Debian's /etc/wordpress/config-<name>.php


def missing_tools(browser=True):
    """What is not installed of what the measurement needs (empty: all there);
    `browser`: chromium too (the editor journey; the reader benchmark needs none)."""
    wanted = {
        "wordpress": WORDPRESS_ROOT / "wp-load.php",
        "twentytwentyone theme": WORDPRESS_ROOT / "wp-content/themes/twentytwentyone",
        "nginx": shutil.which("nginx", path="/usr/sbin:/usr/bin"),
        "php": shutil.which("php"),
        "php-fpm": php_fpm_binary(),
        "mariadb-server": shutil.which("mariadbd", path="/usr/sbin:/usr/bin"),
        "chromium": shutil.which("chromium") if browser else True,
    }
    return [
        name
        for name, found in wanted.items()
        if not found or (found is not True and not Path(found).exists())
    ]


def php_fpm_binary():
    found = sorted(Path("/usr/sbin").glob("php-fpm*"))
    return str(found[-1]) if found else None


def wordpress_version():
    text = (WORDPRESS_ROOT / "wp-includes/version.php").read_text()
    match = re.search(r"\$wp_version\s*=\s*'([^']+)'", text)
    return match.group(1) if match else "?"


@contextmanager
def wordpress_site(*, php_children=2, extra_config="", mu_plugins=None, browser=True):
    """A fresh WordPress with the classic editor, a "Careers" category and an
    administrator; yields a `WordPress`. `php_children`: PHP-FPM's static pool;
    `extra_config`: PHP lines for its config file; `mu_plugins`: {file name: source}."""
    if missing := missing_tools(browser):
        raise FileNotFoundError(
            f"Not installed: {', '.join(missing)}. apt-get install -y {PACKAGES} chromium"
        )
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="wp-editor-bench-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        workdir.chmod(0o755)  # the daemons' unprivileged users walk through it
        port = free_port()
        url = f"http://{HOST}:{port}"
        name = f"editorbench-{os.getpid()}"
        password = secrets.token_urlsafe(16)
        db_password = secrets.token_urlsafe(16)

        socket_path = stack.enter_context(mariadb(workdir))
        create_database(socket_path, db_password)
        content_dir = make_content_dir(workdir)
        for file_name, source in (mu_plugins or {}).items():
            (content_dir / "mu-plugins" / file_name).write_text(source)
        config = DEBIAN_CONFIG_DIR / f"config-{name}.php"
        stack.callback(config.unlink, missing_ok=True)
        write_wordpress_config(config, url, socket_path, db_password, content_dir, extra_config)
        install_wordpress(workdir, url, name, password)
        php_socket = stack.enter_context(php_fpm(workdir, php_children))
        stack.enter_context(nginx(workdir, port, php_socket, content_dir, name))
        wait_for(f"{url}/wp-login.php", workdir / "nginx-error.log")
        yield WordPress(url, USERNAME, password, wordpress_version(), workdir, name)


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


@contextmanager
def mariadb(workdir):
    # The server runs as mysql: its data, socket, pid file and log in folders it owns.
    data, own = workdir / "mysql", workdir / "mysql-run"
    for folder in (data, own):
        folder.mkdir()
        shutil.chown(folder, "mysql", "mysql")
    socket_path = own / "mysqld.sock"
    cnf = workdir / "my.cnf"
    cnf.write_text(
        "[mysqld]\n"
        f"datadir={data}\nsocket={socket_path}\npid-file={own / 'mysqld.pid'}\n"
        f"log-error={own / 'mysqld.err'}\nuser=mysql\nskip-networking\n"
        "innodb_buffer_pool_size=32M\nskip-log-bin\n"
    )
    run(["mariadb-install-db", f"--defaults-file={cnf}", "--auth-root-authentication-method=socket",
         "--skip-test-db", f"--datadir={data}", "--user=mysql"])  # fmt: skip
    command = ["mariadbd", f"--defaults-file={cnf}"]
    with process_group(command, log_path=workdir / "mysqld.out") as process:
        wait_for_socket(process, socket_path, "MariaDB", own / "mysqld.err")
        yield socket_path


def wait_for_socket(process, socket_path, name, log_path):
    """Until the server's socket appears; its log's tail if it dies or takes too long."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not socket_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start.\n{tail(log_path)}")
        time.sleep(0.1)


def create_database(socket_path, db_password):
    sql = (
        "CREATE DATABASE wordpress CHARACTER SET utf8mb4;"
        f"CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '{db_password}';"
        "GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';"
    )
    run(["mariadb", f"--socket={socket_path}", "-u", "root", "-e", sql])


def make_content_dir(workdir):
    content = workdir / "wp-content"
    for sub in ("themes", "plugins", "mu-plugins", "uploads", "upgrade"):
        (content / sub).mkdir(parents=True)
    theme = WORDPRESS_ROOT / "wp-content/themes/twentytwentyone"
    (content / "themes/twentytwentyone").symlink_to(theme)
    (content / "mu-plugins/classic-editor.php").write_text(CLASSIC_EDITOR_PLUGIN)
    for sub in ("uploads", "upgrade"):
        shutil.chown(content / sub, "www-data", "www-data")
    return content


def write_wordpress_config(path, url, socket_path, db_password, content_dir, extra=""):
    salts = "".join(
        f"define('{key}', '{secrets.token_hex(32)}');\n"
        for key in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
                    "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
    )  # fmt: skip
    path.write_text(
        "<?php\n"
        "define('DB_NAME', 'wordpress');\ndefine('DB_USER', 'wordpress');\n"
        f"define('DB_PASSWORD', '{db_password}');\n"
        f"define('DB_HOST', 'localhost:{socket_path}');\n"
        f"define('WP_HOME', '{url}');\ndefine('WP_SITEURL', '{url}');\n"
        f"define('WP_CONTENT_DIR', '{content_dir}');\n"
        f"define('WP_CONTENT_URL', '{url}/wp-content');\n"
        "define('DISABLE_WP_CRON', true);\ndefine('WP_HTTP_BLOCK_EXTERNAL', true);\n"
        "define('AUTOMATIC_UPDATER_DISABLED', true);\ndefine('FS_METHOD', 'direct');\n"
        f"{salts}{extra}"
    )
    path.chmod(0o644)


# What a PHP script run by the `php` command needs to load this site's WordPress.
SCRIPT_HEADER = """<?php
$_SERVER['HTTP_HOST'] = '{host}';
$_SERVER['WORDPRESS_CONFIG'] = '{name}';
$_SERVER['REQUEST_URI'] = '/';
"""

INSTALL_SCRIPT = (
    SCRIPT_HEADER
    + """define('WP_INSTALLING', true);
function wp_new_blog_notification() {{}}  // no mail from the install
require '{root}/wp-load.php';
require ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install('Editor bench', '{user}', '{user}@example.com', true, '', '{password}');
wp_delete_post(1, true); wp_delete_post(2, true); wp_delete_post(3, true);
wp_delete_comment(1, true);
switch_theme('twentytwentyone');
wp_insert_term('{category}', 'category');
update_option('uploads_use_yearmonth_folders', 1);
update_user_meta($result['user_id'], 'show_welcome_panel', 0);
echo "installed\\n";
"""
)


def install_wordpress(workdir, url, name, password):
    script = workdir / "install.php"
    script.write_text(
        INSTALL_SCRIPT.format(
            host=url.removeprefix("http://"),
            name=name,
            root=WORDPRESS_ROOT,
            user=USERNAME,
            password=password,
            category=CATEGORY,
        )
    )
    result = run(["php", str(script)])
    if "installed" not in result.stdout:
        raise RuntimeError(f"WordPress did not install:\n{result.stdout}\n{result.stderr}")


def run_php(wordpress, source, name="script.php", *args):
    """Run PHP `source` (after SCRIPT_HEADER) against the site with `args`; return
    its output."""
    script = wordpress.workdir / name
    header = SCRIPT_HEADER.format(
        host=wordpress.url.removeprefix("http://"), name=wordpress.config_name
    )
    script.write_text(header + source)
    return run(["php", str(script), *map(str, args)]).stdout


@contextmanager
def php_fpm(workdir, children=2):
    socket_path = workdir / "php-fpm.sock"
    config = workdir / "php-fpm.conf"
    config.write_text(
        "[global]\n"
        f"pid = {workdir / 'php-fpm.pid'}\nerror_log = {workdir / 'php-fpm.log'}\n"
        "daemonize = no\n"
        "[wordpress]\nuser = www-data\ngroup = www-data\n"
        f"listen = {socket_path}\nlisten.owner = www-data\nlisten.group = www-data\n"
        "listen.mode = 0660\npm = static\n"
        f"pm.max_children = {children}\n"
        "catch_workers_output = yes\n"
        "php_admin_value[upload_max_filesize] = 16M\nphp_admin_value[post_max_size] = 16M\n"
    )
    command = [php_fpm_binary(), "--nodaemonize", "--fpm-config", str(config)]
    with process_group(command, log_path=workdir / "php-fpm.out") as process:
        wait_for_socket(process, socket_path, "PHP-FPM", workdir / "php-fpm.log")
        yield socket_path


@contextmanager
def nginx(workdir, port, php_socket, content_dir, name):
    temp = workdir / "nginx-temp"
    temp.mkdir()
    config = workdir / "nginx.conf"
    config.write_text(f"""
daemon off;
worker_processes 1;
user www-data;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_max_body_size 16m;
  client_body_temp_path {temp}/body;
  fastcgi_temp_path {temp}/fastcgi;
  proxy_temp_path {temp}/proxy;
  uwsgi_temp_path {temp}/uwsgi;
  scgi_temp_path {temp}/scgi;
  server {{
    listen {HOST}:{port};
    root {WORDPRESS_ROOT};
    index index.php;
    location ^~ /wp-content/ {{ alias {content_dir}/; }}
    location / {{ try_files $uri $uri/ /index.php?$args; }}
    location ~ \\.php$ {{
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_param HTTP_HOST $host:$server_port;
      fastcgi_param WORDPRESS_CONFIG {name};
      fastcgi_buffers 64 16k;
      fastcgi_pass unix:{php_socket};
    }}
  }}
}}
""")
    nginx_bin = shutil.which("nginx", path="/usr/sbin:/usr/bin")
    command = [
        nginx_bin,
        "-p",
        str(workdir),
        "-c",
        str(config),
        "-e",
        str(workdir / "nginx-error.log"),
    ]
    with process_group(command, log_path=workdir / "nginx.out"):
        yield


def wait_for(url, log_path):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        with suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer.\n{tail(log_path)}")
