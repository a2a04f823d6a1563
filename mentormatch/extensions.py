"""Flask extensions, created unbound here and bound to the app in create_app()."""

from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to see this page.")
# Flask-Login flashes localize_callback(login_message): str() gives the reader's language
# (and a plain string the session can store).
login_manager.localize_callback = str
login_manager.login_message_category = "info"

csrf = CSRFProtect()

# Limits are applied per route (log-in, password reset); storage comes from the config.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Security headers (CSP, HSTS, frame and referrer policies); options set in create_app().
talisman = Talisman()
