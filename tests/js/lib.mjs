// Helpers shared by the browser tests: a headless Chromium, fresh people, axe audits.

import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
export const TIMEOUT = 20_000

export function fail (msg) {
  console.error(msg)
  process.exit(1)
}

/** Debian's Chromium, headless, with nothing reaching beyond loopback. */
export async function launch (limitMs = 170_000) {
  setTimeout(() => fail('browser test timed out'), limitMs).unref()
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'
    ]
    // playwright gives every launch a fresh, empty profile directory of its own.
  })
}

/** A fresh browser profile (its own localStorage) that reports page errors. */
export async function person (browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.setDefaultTimeout(TIMEOUT)
  page.errors = []
  page.on('pageerror', (e) => page.errors.push(String(e)))
  // The server's Content-Security-Policy must not block anything the app does.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) page.errors.push(m.text())
  })
  return page
}

/** Runs axe-core in the page; returns critical and serious violations. */
export async function audit (page, where) {
  // Evaluated through the DevTools protocol, which the page's CSP (rightly) does not
  // allow a <script> tag to do.
  await page.evaluate(AXE)
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }))
  })
  const bad = result.filter((v) => v.impact === 'critical' || v.impact === 'serious')
  return { where, bad, all: result.length }
}

export async function joinBoard (page, name, role, anonymous = false) {
  await page.fill('#join-name', name)
  await page.check(`input[name=role][value=${role}]`)
  if (anonymous) await page.check('#join-anonymous')
  await page.click('#join')
  await page.waitForFunction(() => window.__coboard_ready === true)
}

/** Adds a card to a section's frame and types its text; returns the new card's id. */
export async function addTo (page, section, text) {
  const before = await page.$$eval('.note', (ns) => ns.map((n) => n.dataset.id))
  await page.click(`.frame[data-section="${section}"] .frame-add`)
  const id = await page.waitForFunction((before) => {
    const fresh = [...document.querySelectorAll('.note')].find((n) => !before.includes(n.dataset.id))
    return fresh && fresh.dataset.id
  }, before).then((h) => h.jsonValue())
  const box = page.locator(`.note[data-id="${id}"] textarea`).first()
  await box.click()
  await box.pressSequentially(text)
  return id
}

/** Creates a board from the home page with a template; the page ends on the new board. */
export async function createBoard (page, base, title, template) {
  await page.goto(base + '/')
  await page.waitForSelector('#board-title')
  await page.fill('#board-title', title)
  await page.check(`input[name=template][value=${template}]`)
  await page.click('#create-board')
  await page.waitForURL(/\/b\/[0-9a-f]{32}$/)
}

/** Makes a new invite link from the board's Invite people dialog, closes it, and returns
 * the link. */
export async function inviteLink (page, role = 'contributor') {
  await page.click('#invite-open')
  await page.check(`#invite-role-${role}`)
  await page.click('#invite-create')
  await page.waitForFunction(() => (document.querySelector('#invite-link')?.value ?? '').includes('#token='))
  const link = await page.inputValue('#invite-link')
  await page.keyboard.press('Escape')
  return link
}
