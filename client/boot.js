// Loads the Coboard web client. Kept in its own file (not inline) so the page works
// under a Content-Security-Policy that allows only same-origin scripts.
import init from '/pkg/coboard_client.js';

init();
