// Browser tests: Debian's headless Chromium, driven by playwright-core, against a running
// Coboard server. Run from tests/e2e/tests/browser.rs.
//
//   node browser.mjs session <base-url> <out-dir>       two people co-edit one board; axe audits
//   node browser.mjs render  <base-url> <board-url> <n> [timeout-ms]  time until n notes are on screen
//
// Prints one JSON line with what it measured; exits non-zero with a message on failure.

import { join } from 'node:path'
import { launch, person as newPerson, audit, joinBoard, fail } from './lib.mjs'

const [mode, base, ...rest] = process.argv.slice(2)
const browser = await launch()
const person = () => newPerson(browser)

async function session (out) {
  const audits = []
  const asha = await person()
  await asha.goto(base + '/')
  await asha.waitForSelector('#board-title')
  audits.push(await audit(asha, 'home'))
  await asha.screenshot({ path: join(out, 'home.png') })

  await asha.fill('#board-title', 'Getting to appointments')
  await asha.check('input[name=template][value=blank]')
  await asha.click('#create-board')
  await asha.waitForURL(/\/b\/[0-9a-f]{32}$/)
  const boardUrl = asha.url()
  await asha.waitForSelector('#join-name')
  audits.push(await audit(asha, 'board, join dialog'))
  await joinBoard(asha, 'Asha', 'public')

  if (/#|token/.test(asha.url())) fail(`the token stayed in the address bar: ${asha.url()}`)

  // Asha invites Ben as a contributor and Carol as a viewer, through the invite panel.
  await asha.click('#invite-open')
  let previous = ''
  async function invite (role) {
    await asha.check(`#invite-role-${role}`)
    await asha.click('#invite-create')
    await asha.waitForFunction((prev) => {
      const v = document.querySelector('#invite-link')?.value ?? ''
      return v.includes('#token=') && v !== prev
    }, previous)
    previous = await asha.inputValue('#invite-link')
    return previous
  }
  const benLink = await invite('contributor')
  audits.push(await audit(asha, 'board, invite panel'))
  const carolLink = await invite('viewer')
  await asha.keyboard.press('Escape')

  const ben = await person()
  await ben.goto(benLink)
  await joinBoard(ben, 'Ben', 'professional')

  // Asha adds a note and types; Ben sees it.
  await asha.click('#add-note')
  const note = asha.locator('.note').first()
  await note.waitFor()
  const id = await note.getAttribute('data-id')
  const ashaText = asha.locator(`.note[data-id="${id}"] textarea`)
  await ashaText.click()
  await ashaText.pressSequentially('Buses are too early')
  const benText = ben.locator(`.note[data-id="${id}"] textarea`)
  await benText.waitFor()
  await ben.waitForFunction((id) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === 'Buses are too early', id)

  // Ben types at the end while Asha types at the start: both edits survive.
  await benText.click()
  await benText.press('End')
  await benText.pressSequentially(' for carers')
  await ashaText.press('Home')
  await ashaText.pressSequentially('Note: ')
  const merged = 'Note: Buses are too early for carers'
  for (const page of [asha, ben]) {
    await page.waitForFunction(([id, want]) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === want, [id, merged])
  }

  // Both people are listed as present.
  for (const page of [asha, ben]) {
    await page.waitForFunction(() => document.querySelectorAll('#presence li').length === 2)
  }
  const presence = await ben.locator('#presence').innerText()
  if (!presence.includes('Asha') || !presence.includes('Ben')) fail(`presence list: ${presence}`)

  // Keyboard only: Tab to "Add note" and press Enter; the new note appears for Ben.
  await asha.focus('#add-note')
  await asha.keyboard.press('Enter')
  await ben.waitForFunction(() => document.querySelectorAll('.note').length === 2)

  audits.push(await audit(asha, 'board, joined'))
  await asha.screenshot({ path: join(out, 'board.png') })

  // Carol, with a view-only link, reads everything and can change nothing.
  const carol = await person()
  await carol.goto(carolLink)
  await joinBoard(carol, 'Carol', 'public')
  await carol.waitForFunction((want) => [...document.querySelectorAll('.note textarea')].some((t) => t.value === want), merged)
  if (await carol.locator('#add-note').count()) fail('a viewer sees "Add note"')
  if (!(await carol.locator('.note textarea').first().getAttribute('readonly') !== null)) fail('a viewer can type in notes')
  if ((await carol.getAttribute('#access-role', 'data-role')) !== 'viewer') fail('access role not shown as viewer')
  audits.push(await audit(carol, 'board, viewer'))

  // The list view shows the same notes to a screen reader.
  await ben.click('#view-list')
  await ben.waitForSelector('#list-view li')
  const listed = await ben.locator('#list-view li').count()
  if (listed !== 2) fail(`list view shows ${listed} notes, expected 2`)
  audits.push(await audit(ben, 'list view'))
  await ben.screenshot({ path: join(out, 'list.png') })

  const errors = [...asha.errors, ...ben.errors, ...carol.errors]
  if (errors.length) fail(`page errors: ${errors.join('\n')}`)
  const bad = audits.filter((a) => a.bad.length)
  if (bad.length) fail(`accessibility violations: ${JSON.stringify(bad, null, 1)}`)
  return { boardUrl, merged, audits: audits.map((a) => ({ where: a.where, violations: a.all })) }
}

async function render (boardUrl, n, timeoutMs = 60_000) {
  const page = await person()
  // Join without the dialog: a remembered identity.
  await page.addInitScript(() => localStorage.setItem('coboard.identity', JSON.stringify({ name: 'Bench', role: 'public', colour: '#1f6fd1' })))
  const t0 = Date.now()
  await page.goto(boardUrl)
  await page.waitForFunction((n) => document.querySelectorAll('.note').length >= n, Number(n), { timeout: Number(timeoutMs), polling: 20 })
  const rendered = Date.now() - t0
  const nav = await page.evaluate(() => performance.now())
  return { notes: Number(n), ms_to_render: rendered, page_ms: Math.round(nav) }
}

try {
  let result
  if (mode === 'session') result = await session(rest[0])
  else if (mode === 'render') result = await render(rest[0], rest[1], rest[2])
  else fail(`unknown mode ${mode}`)
  console.log(JSON.stringify(result))
} finally {
  await browser.close()
}
process.exit(0)
