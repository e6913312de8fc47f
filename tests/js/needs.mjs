// Access needs, declared once, in real browsers. Pat (a public member) declares large
// text, high contrast and more time on the home page, and agrees to share them with
// facilitators. On a board, Pat's text is bigger than Ben's (a professional, no needs)
// and the high-contrast theme is on; on a second board it still is, with nothing asked
// again. Fay (the board's facilitator) sees Pat's needs under "Needs in the room"; Ben,
// with a contributor link, never sees that list. When Pat stops sharing, Fay's list
// drops Pat. Ben, who says he uses a screen reader, hears what Pat adds. Needs declared
// 100 days ago bring up the review banner. Screenshots go to
// <out-dir> (needs-large-text.png is the user guide's).
//
//   node needs.mjs <base-url> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { join } from 'node:path'
import { launch, person as newPerson, audit, joinBoard, addTo, fail, createBoard, inviteLink } from './lib.mjs'

const [base, out] = process.argv.slice(2)
if (!base || !out) fail('usage: node needs.mjs <base-url> <out-dir>')
const browser = await launch()
const person = () => newPerson(browser, { width: 1440, height: 900 })
const oneLine = (s) => s.replace(/\s+/g, ' ').trim()
const audits = []
const KEY = 'coboard.needs'
const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || 'null'), KEY)
const classes = (page) => page.evaluate(() => [...document.documentElement.classList].filter((c) => c.startsWith('needs-')).sort())
const fontPx = (page, sel) => page.$eval(sel, (el) => parseFloat(getComputedStyle(el).fontSize))
const focusInside = (page, id) => page.waitForFunction((id) => document.getElementById(id)?.contains(document.activeElement), id)
const adapted = (page) => page.waitForFunction(() => {
  const c = document.documentElement.classList
  return c.contains('needs-large-text') && c.contains('needs-high-contrast') && c.contains('needs-more-time')
})


// Fay makes the board and a contributor link; nobody has shared needs yet.
const fay = await person()
await createBoard(fay, base, 'Getting to appointments', 'coproduction-plan')
await joinBoard(fay, 'Fay', 'facilitator')
const link = await inviteLink(fay, 'contributor')
await fay.waitForSelector('#needs-room .needs-room-empty')

// Ben, a professional with a contributor link and no needs yet: the page as it is for
// most.
const ben = await person()
await ben.goto(link)
await joinBoard(ben, 'Ben', 'professional')
await ben.waitForSelector('.frame[data-section="aims"] .frame-title')
const note = await ben.$eval('.note', (n) => n.dataset.id)
const selectors = { body: 'body', note: `.note[data-id="${note}"] textarea`, frame: '.frame[data-section="aims"] .frame-title' }
const benPx = {}
for (const [k, sel] of Object.entries(selectors)) benPx[k] = await fontPx(ben, sel)
// Ben uses a screen reader (and shares nothing): the page will say what others do.
await ben.click('#needs-open')
await focusInside(ben, 'needs-dialog')
await ben.check('input[name=need][value=screen_reader]')
await ben.click('#needs-save')
await ben.waitForSelector('#needs-announce[aria-live=polite]', { state: 'attached' })

// Pat declares needs on the home page, with the keyboard where it matters.
const pat = await person()
await pat.goto(base + '/')
await pat.waitForSelector('#needs-open')
await pat.click('#needs-open')
await pat.waitForSelector('#needs-dialog[role=dialog]')
await focusInside(pat, 'needs-dialog')
const intro = oneLine(await pat.locator('#needs-intro').innerText())
if (!intro.includes('not diagnoses') || !intro.includes('stay in this browser')) fail(`intro: ${intro}`)
const labels = await pat.$$eval('input[name=need]', (inputs) => inputs.map((i) => `${i.value}: ${document.querySelector(`label[for="${i.id}"]`)?.textContent.trim()}`))
if (labels.length !== 7) fail(`need boxes: ${labels}`)
const shareLabel = oneLine(await pat.locator('label[for="needs-share"]').innerText())
audits.push(await audit(pat, 'needs dialog'))
await pat.keyboard.press('Escape')
await pat.waitForSelector('#needs-dialog', { state: 'detached' })
await pat.waitForFunction(() => document.activeElement?.id === 'needs-open')
await pat.keyboard.press('Enter')
await focusInside(pat, 'needs-dialog')
for (const code of ['large_text', 'high_contrast', 'more_time']) {
  await pat.focus(`input[name=need][value=${code}]`)
  await pat.keyboard.press('Space')
}
await pat.check('#needs-share')
await pat.locator('#needs-dialog').screenshot({ path: join(out, 'needs-dialog.png') })
await pat.click('#needs-save')
await pat.waitForSelector('#needs-dialog', { state: 'detached' })
await pat.waitForFunction(() => document.activeElement?.id === 'needs-open')
await adapted(pat)
const saved = await stored(pat)
if (!saved || saved.share_with_facilitators !== true || Math.abs(Date.now() - saved.declared_at) > 120_000) fail(`stored: ${JSON.stringify(saved)}`)
const homeRoot = await pat.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))

// On the board, without being asked again: bigger text than Ben's, and high contrast.
await pat.goto(link)
await joinBoard(pat, 'Pat', 'public')
await pat.waitForSelector('.frame[data-section="aims"] .frame-title')
await adapted(pat)
const ratio = {}
for (const [k, sel] of Object.entries(selectors)) {
  await pat.waitForFunction(([sel, px]) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize) >= 1.2 * px, [sel, benPx[k]])
  ratio[k] = Math.round(100 * (await fontPx(pat, sel)) / benPx[k]) / 100
}
await pat.waitForFunction((id) => {
  const s = getComputedStyle(document.querySelector(`.note[data-id="${id}"]`))
  return s.backgroundColor === 'rgb(255, 255, 255)' && s.borderTopWidth === '2px' && s.borderTopColor === 'rgb(0, 0, 0)'
}, note)
const aim = await addTo(pat, 'aims', 'Bus times that match clinic times')
await pat.waitForFunction((id) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === 'Bus times that match clinic times', aim)
audits.push(await audit(pat, 'board with large text and high contrast'))
await ben.waitForFunction(() => (document.querySelector('#needs-announce')?.textContent ?? '').includes('Pat added an aim'))
const announced = await ben.locator('#needs-announce').textContent()
await pat.screenshot({ path: join(out, 'needs-large-text.png') })

// Fay sees what Pat shared, and what to do about it; Ben (a contributor) does not.
await fay.waitForFunction(() => {
  const t = document.querySelector('#needs-room')?.innerText ?? ''
  return t.includes('Pat') && t.includes('Large text') && t.includes('More time')
})
const room = await fay.$$eval('#needs-room .needs-room-people > li', (lis) => lis.map((li) => li.innerText.replace(/\s+/g, ' ').trim()))
if (room.some((line) => line.includes('Ben') || line.includes('Fay'))) fail(`room lists people who shared nothing: ${room}`)
audits.push(await audit(fay, 'needs in the room'))
await fay.locator('#needs-room').screenshot({ path: join(out, 'needs-room.png') })

// Fay records what was arranged for Pat's need for more time: by need, never by name. It
// is stored with the board, and the Standards evidence (worked out by the server) shows it.
const moreTime = '#needs-room li[data-need="more_time"]'
await fay.fill(`${moreTime} input`, 'Ten extra minutes on every timer')
await fay.click(`${moreTime} .arranged-save`)
await fay.waitForFunction((sel) => (document.querySelector(`${sel} .arranged-done`)?.textContent ?? '').includes('Recorded: Ten extra minutes on every timer'), moreTime)
await fay.click('#tab-participation')
await fay.waitForSelector('#panel-participation:not([hidden])')
let arranged = ''
for (let i = 0; i < 50 && !arranged.includes('Ten extra minutes'); i++) {
  if (i > 0) await fay.waitForTimeout(200)
  await fay.click('#standards-refresh')
  await fay.waitForFunction(() => document.querySelectorAll('#standards-list > li.standard').length === 6)
  arranged = oneLine(await fay.locator('#standards-list li[data-standard="inclusive-opportunities"] .standard-found').innerText())
}
for (const page of [ben, pat]) {
  await page.waitForFunction(() => (document.querySelector('#presence')?.innerText ?? '').includes('Fay'))
  await page.waitForFunction(() => (document.querySelector('#presence')?.innerText ?? '').includes('Pat'))
}
const othersSeeRoom = (await ben.locator('#needs-room').count()) + (await pat.locator('#needs-room').count())

// A second board, in a new tab: the same adaptations, nothing declared again.
const second = await pat.context().newPage()
second.errors = []
second.on('pageerror', (e) => second.errors.push(String(e)))
await createBoard(second, base, 'Evening clinic ideas', 'blank')
await second.waitForFunction(() => window.__coboard_ready === true)
await adapted(second)
await second.waitForFunction(() => parseFloat(getComputedStyle(document.body).fontSize) >= 1.2 * 16)
const secondBody = await fontPx(second, 'body')
// Pat made this board, so Pat is its facilitator: the list shows Pat's own shared needs.
await second.waitForFunction(() => (document.querySelector('#needs-room')?.innerText ?? '').includes('Pat (you)'))
const secondClasses = await classes(second)
await second.close()

// Pat stops sharing: Pat's needs still adapt Pat's page, but Fay's list drops Pat.
await pat.click('#needs-open')
await focusInside(pat, 'needs-dialog')
await pat.uncheck('#needs-share')
await pat.click('#needs-save')
await pat.waitForSelector('#needs-dialog', { state: 'detached' })
await fay.waitForFunction(() => {
  const room = document.querySelector('#needs-room')
  return room && !room.innerText.includes('Pat') && room.querySelector('.needs-room-empty')
})
const roomAfter = oneLine(await fay.locator('#needs-room').innerText())
const stillPresent = (await fay.locator('#presence').innerText()).includes('Pat')
await adapted(pat)

// Three months on: "Are your access needs still right?"
await pat.evaluate((k) => {
  const d = JSON.parse(localStorage.getItem(k))
  d.declared_at = Date.now() - 100 * 24 * 60 * 60 * 1000
  localStorage.setItem(k, JSON.stringify(d))
}, KEY)
await pat.reload()
await pat.waitForFunction(() => window.__coboard_ready === true)
await pat.waitForSelector('#needs-review')
const review = oneLine(await pat.locator('#needs-review').innerText())
audits.push(await audit(pat, 'needs review banner'))
await pat.click('#needs-review-open')
await focusInside(pat, 'needs-dialog')
await pat.keyboard.press('Escape')
await pat.waitForSelector('#needs-dialog', { state: 'detached' })
await pat.click('#needs-review-ok')
await pat.waitForSelector('#needs-review', { state: 'detached' })
await pat.waitForFunction(() => document.activeElement?.id === 'needs-open')
const confirmed = await stored(pat)
const reviewCleared = Date.now() - confirmed.declared_at < 120_000 && confirmed.needs.length === 3

const errors = [...fay.errors, ...ben.errors, ...pat.errors, ...second.errors]
if (errors.length) fail(`page errors: ${errors.join('\n')}`)
const bad = audits.filter((a) => a.bad.length)
if (bad.length) fail(`accessibility violations: ${JSON.stringify(bad, null, 1)}`)
console.log(JSON.stringify({
  labels,
  share_label: shareLabel,
  stored: saved,
  home_root_px: homeRoot,
  ratio,
  second_board: { classes: secondClasses, body_px: secondBody },
  room,
  arranged,
  announced,
  others_see_room: othersSeeRoom,
  room_after: roomAfter,
  still_present: stillPresent,
  review,
  review_cleared: reviewCleared,
  audits: audits.map((a) => a.where)
}))
await browser.close()
process.exit(0)
