"""gunicorn settings read from this folder (``gunicorn app:server``; the Procfile's flags come on top).

keepalive: an idle keep-alive connection is closed by the server after this many seconds. It must be
longer than a person's pause between two actions (and longer than a load balancer's idle timeout, 60 s
on most): otherwise the server closes a connection at the moment the browser reuses it for a POST,
which the browser may report as a network error. bench/load.py showed such resets with gunicorn's
default of 2 s.
"""

keepalive = 75
