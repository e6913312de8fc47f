// Loads the Coboard web client. Kept in its own file (not inline) so the page works
// under a Content-Security-Policy that allows only same-origin scripts.
//
// `cargo xtask client` names every file by its content and fills in the two names below,
// so this file, the JavaScript glue and the wasm always come from the same build.
import init from '__GLUE__'

init({ module_or_path: '__WASM__' })

// The service worker keeps the app's files on this device, so a board opened before opens
// without a network (see sw.js).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {})
  let controlled = !!navigator.serviceWorker.controller
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first worker taking over changes nothing on the page.
    if (!controlled) {
      controlled = true
      return
    }
    // A new release took over. This page still runs the files of the old one (all of one
    // build, already loaded), so it reloads to run the new ones, once nobody is typing.
    // Every change is saved on this device as it is made (or, where the browser keeps
    // nothing, the reload waits until the server has stored them), so it loses nothing.
    reloadWhenIdle()
  })
  // A server that comes back may be a new release: look for one on every reconnect.
  addEventListener('coboard-connected', () => {
    navigator.serviceWorker.getRegistration()
      .then(r => r && r.update())
      .catch(() => {})
  })
}

function reloadWhenIdle () {
  const active = document.activeElement
  const typing = active && (active.tagName === 'TEXTAREA' || active.tagName === 'INPUT')
  // `__coboardHolding`: changes not yet stored by the server that this browser keeps no
  // copy of (its storage refused them); a reload would lose them, so it waits.
  if (typing || window.__coboardHolding) {
    setTimeout(reloadWhenIdle, 2000)
    return
  }
  // Told to the page's unload warning: this reload keeps everything.
  window.__coboardLeaving = true
  // A moment for the last change's write to the device to finish.
  setTimeout(() => location.reload(), 500)
}
