-- From text to items: paragraphs, the sections of a Digest issue, headlines,
-- articles and photo captions; or one press release per file.
--
-- The text comes from tally.import.read: paragraphs separated by blank lines,
-- pages by a form feed. Plain-text issues (like the seed) hold the same shape,
-- except that a list item ("- ...") may follow another without a blank line.
local tally = require "tally"
local fold = tally.import.fold

local M = {}

local MONTHS = {
	january = 1, february = 2, march = 3, april = 4, may = 5, june = 6, july = 7,
	august = 8, september = 9, october = 10, november = 11, december = 12,
}
M.MONTHS = MONTHS

-- Headings that open a part of an issue that holds no records.
local OTHER_HEADINGS = {
	["foreword"] = true, ["editorial"] = true, ["contents"] = true, ["table of contents"] = true,
	["in this issue"] = true, ["in this issue:"] = true, ["photo gallery"] = true,
	["in pictures"] = true, ["photos"] = true, ["announcements"] = true,
}

local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

-- Bold markers and doubled spaces go; the words stay.
function M.clean(s)
	s = s:gsub("%*%*", ""):gsub("[ \t]+", " ")
	s = s:gsub(" ([,.;:])", "%1")
	return trim(s)
end

local function nwords(s)
	local n = 0
	for _ in s:gmatch("%S+") do n = n + 1 end
	return n
end

-- Paragraphs with the line each starts on and the page it is on.
function M.paragraphs(text)
	local paras, cur, page, lineno = {}, nil, 1, 0
	local function close()
		if cur then
			cur.text = M.clean(table.concat(cur.parts, " "))
			cur.parts = nil
			if cur.text ~= "" then paras[#paras + 1] = cur end
			cur = nil
		end
	end
	for line in (text .. "\n"):gmatch("([^\n]*)\n") do
		lineno = lineno + 1
		if line:find("\f", 1, true) then
			close()
			page = page + 1
			line = line:gsub("\f", "")
		end
		if line:match("^%s*$") then
			close()
		else
			-- a list item starts a paragraph of its own
			if cur and line:match("^%s*[-•–] ") then close() end
			if not cur then cur = {parts = {}, line = lineno, page = page} end
			cur.parts[#cur.parts + 1] = trim(line)
		end
	end
	close()
	return paras, page
end

-- A headline that the text ran on from the paragraph before it: prose that
-- ends a sentence, then a headline of the table of contents ("... continue
-- bilateral contacts. CICA Secretary General visits Tehran"). Only the contents
-- can tell such a headline from the last short sentence of a paragraph.
function M.split_trailing(paras, toc)
	local out = {}
	for _, p in ipairs(paras) do
		local body, tail = p.text:match("^(.*%l%l[%.!?][\"”]?) (%u[^%.!?]*)$")
		if body and toc[fold(tail)] then
			out[#out + 1] = {text = body, line = p.line, page = p.page}
			out[#out + 1] = {text = tail, line = p.line, page = p.page}
		else
			out[#out + 1] = p
		end
	end
	return out
end

-- The entries of the table of contents: the short paragraphs before the first
-- section that holds prose, without list marks and page numbers.
local function toc_entries(paras)
	local set = {}
	for _, p in ipairs(paras) do
		if M.classify(p) == "body" and #p.text > 200 then break end
		local t = p.text:gsub("^[-•–]%s*", ""):gsub("^%d+%s+", ""):gsub("%s+%d+$", "")
		set[fold(t)] = true
	end
	return set
end

-- Running headers and footers ("Digest · Page 3 of 20"): a short paragraph
-- that opens or closes at least half of the pages (and two), digits aside.
function M.drop_running(paras, npages)
	if npages < 2 then return paras end
	local pages, edge = {}, {}
	local function key(p) return (fold(p.text):gsub("%d+", "#")) end
	for k, p in ipairs(paras) do
		local prev, nxt = paras[k - 1], paras[k + 1]
		if (not prev or prev.page ~= p.page or not nxt or nxt.page ~= p.page) and #p.text < 120 then
			edge[k] = true
			local kk = key(p)
			pages[kk] = pages[kk] or {}
			pages[kk][p.page] = true
		end
	end
	local out = {}
	for k, p in ipairs(paras) do
		local n = 0
		if edge[k] then for _ in pairs(pages[key(p)]) do n = n + 1 end end
		if not (edge[k] and n >= 2 and n >= npages / 2) then out[#out + 1] = p end
	end
	return out
end

-- What a paragraph is: "junk" (addresses, links, stray marks), "body" (prose),
-- or "head" (a headline, a caption, a heading).
function M.classify(p)
	local t = p.text
	local words = nwords(t)
	local letters = select(2, t:gsub("%a%a", ""))
	if t:find("%S+@%S+%.%a") or t:find("www%.") or t:find("https?://") or t:lower():find("e%-mail:")
	   or letters < 2 or t:match("^[%d%s%+%-%(%)]+$") or t:match("^@%S+$") then
		return "junk"
	end
	if t:match("^[%l]") and words >= 3 then return "body", "continued" end
	local ends = t:match("[%.!?…]%s*[\"”»']?%s*$") or t:match("%.%)%s*$")
	-- full stops inside: after a word, not after an initial ("L. Gumilyov")
	local stops = select(2, t:gsub("%l%l[%.!?] +%u", ""))
	if (ends and words >= 8) or words >= 70 or stops >= 2 or (stops == 1 and words >= 30) then
		return "body"
	end
	return "head"
end

local function heading(p)
	local f = fold(p.text):gsub("[%s:]+$", "")
	local m = f:match("^(%a+)$") or f:match("^(%a+) %d%d%d%d$")
	if m and MONTHS[m] then return "month", MONTHS[m] end
	if OTHER_HEADINGS[f] then return "other" end
	return nil
end

-- Is this text a Digest issue (month sections) rather than one item?
function M.is_digest(text)
	local months = 0
	local paras = M.paragraphs(text)
	for _, p in ipairs(paras) do
		if heading(p) == "month" then months = months + 1 end
	end
	return months >= 2
end

-- Sections: each heading up to the next. A month section that holds prose is a
-- part of the issue; one that holds only short entries is the table of contents.
local function sections(paras)
	local secs, cur = {}, {kind = "front", paras = {}}
	for _, p in ipairs(paras) do
		local h, month = heading(p)
		if h then
			secs[#secs + 1] = cur
			cur = {kind = h, month = month, heading = p, paras = {}}
		else
			cur.paras[#cur.paras + 1] = p
		end
	end
	secs[#secs + 1] = cur
	for _, s in ipairs(secs) do
		s.prose = 0
		for _, p in ipairs(s.paras) do p.class, p.how = M.classify(p) end
		for k, p in ipairs(s.paras) do
			-- a paragraph the next one continues in lower case is prose cut short
			local nxt = s.paras[k + 1]
			if p.class == "head" and nxt and nxt.how == "continued" then p.class = "body" end
			if p.class == "body" then s.prose = s.prose + 1 end
		end
	end
	return secs
end

-- The articles of one month section: a headline (one or more head paragraphs in
-- a row: a headline split over lines) followed by its body paragraphs. A body
-- paragraph that starts in lower case continues the one before (a page break).
local function articles(sec, source, last)
	local items, heads, cur = {}, {}, nil
	local trailing = {}
	for _, p in ipairs(sec.paras) do
		if p.class == "head" then
			heads[#heads + 1] = p
		elseif p.class == "body" then
			if #heads > 0 then
				local t = {}
				for _, h in ipairs(heads) do t[#t + 1] = h.text end
				cur = {headline = M.clean(table.concat(t, " ")), line = heads[1].line, page = heads[1].page,
				       paras = {}, month = sec.month, kind = "article", source = source}
				items[#items + 1] = cur
				heads = {}
			end
			if cur then
				local prev = cur.paras[#cur.paras]
				if p.how == "continued" and prev then
					prev.text = prev.text .. " " .. p.text
				else
					cur.paras[#cur.paras + 1] = {text = p.text, line = p.line, page = p.page}
				end
			end
		end
	end
	-- head paragraphs after the last article's body: captions (in the last
	-- section of the issue) or stray headings
	if last then
		for _, h in ipairs(heads) do
			trailing[#trailing + 1] = {headline = h.text, line = h.line, page = h.page, paras = {},
			                           kind = "photo", source = source}
		end
	end
	return items, trailing
end

-- Table of contents entries per month, where the contents name the month.
local function toc_counts(secs)
	local counts = {}
	for _, s in ipairs(secs) do
		if s.kind == "month" and s.prose == 0 then
			local n = 0
			for _, p in ipairs(s.paras) do
				if p.class == "head" then n = n + 1 end
			end
			if n > 0 then counts[s.month] = n end
		end
	end
	return counts
end

-- A Digest issue -> items (articles in order, then captions), the contents'
-- counts per month, and the months seen.
function M.digest(text, source)
	local paras, npages = M.paragraphs(text)
	paras = M.drop_running(paras, npages)
	paras = M.split_trailing(paras, toc_entries(paras))
	local secs = sections(paras)
	local body = {}
	for _, s in ipairs(secs) do
		if s.kind == "month" and s.prose > 0 then body[#body + 1] = s end
	end
	local items, photos = {}, {}
	for i, s in ipairs(body) do
		local arts, trailing = articles(s, source, i == #body)
		for _, a in ipairs(arts) do items[#items + 1] = a end
		for _, c in ipairs(trailing) do photos[#photos + 1] = c end
	end
	M.move_lead_paragraphs(items)
	local counts = {}
	for _, it in ipairs(items) do counts[it.month] = (counts[it.month] or 0) + 1 end
	return items, photos, toc_counts(secs), counts
end

-- Content words of a text, for telling which article a paragraph belongs to.
local STOP = {}
for w in ([[the a an and or of in on at to for with by from as is are was were be been
	this that these those its his her their it he she they which who cica secretary general
	deputy secretariat member states state organization conference also other more further
	during between within about into over under after before has have had not but all
	meeting parties sides discussed current activities cooperation ambassador]]):gmatch("%S+") do
	STOP[w] = true
end
-- Content words with a weight: a name (capitalised) counts twice.
local function content(s)
	local set = {}
	for w in s:gmatch("[%w\128-\255']+") do
		local f = fold(w):gsub("'s$", "")
		if #f > 2 and not STOP[f] then
			local wt = w:match("^%u") and 2 or 1
			if (set[f] or 0) < wt then set[f] = wt end
		end
	end
	return set
end

-- The manual's artefact: a headline printed after its article's first paragraph.
-- That paragraph then ends the article before. It moves when its words are the
-- next headline's rather than its own article's (the country, the person).
function M.move_lead_paragraphs(items)
	for i = 1, #items - 1 do
		local a, b = items[i], items[i + 1]
		if #a.paras >= 2 and a.month == b.month then
			local p = a.paras[#a.paras]
			local words = content(p.text)
			local head_b = content(b.headline)
			local head_a = content(a.headline)
			local hits_b, hits_a = 0, 0
			for w, wt in pairs(words) do
				if head_b[w] then hits_b = hits_b + math.min(wt, head_b[w]) end
				if head_a[w] then hits_a = hits_a + 1 end
			end
			if hits_b >= 2 and hits_a == 0 then
				table.remove(a.paras)
				table.insert(b.paras, 1, p)
				b.moved = p.line
			end
		end
	end
end

-- One press release or news story: the headline is the first line (of a .txt
-- file; the <h1> of a page comes first too); the rest is the body.
function M.release(text, source)
	local pre, head, rest = text:match("^(%s*)([^\n]*)\n?(.*)$")
	if not head or head:match("^%s*$") then return nil end
	local offset = select(2, pre:gsub("\n", "")) + 1
	local body = {}
	for _, p in ipairs((M.paragraphs(rest))) do
		if M.classify(p) ~= "junk" then
			body[#body + 1] = {text = p.text, line = p.line + offset, page = p.page}
		end
	end
	return {headline = M.clean(head), line = offset, page = 1, paras = body, kind = "article", source = source}
end

return M
