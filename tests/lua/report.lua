-- checks: 14
-- tally.report's layout as a script sees it: the sheet's geometry, the cursor and
-- the room left, where each block goes (moved, shrunk, left out), headings kept
-- with what follows, blocks side by side, and links written into the PDF.
local H = ...
local tally = require "tally"
local err = H.err

local function bars(h)
	return tally.chart.bar{data = {{"a", 1}, {"b", 2}}, width = 515, height = h or 300}
end

local function slurp(path)
	local f = assert(io.open(path, "rb"))
	local s = f:read("a")
	f:close()
	return s
end

-- A fresh report whose first page is filled by text blocks until less than room is left.
local function filled(room)
	local r = tally.report{title = "T"}
	local p = r:page()
	while p:remaining() > room + 14 do
		p:text("line", {h = math.min(40, p:remaining() - room - 14)})
	end
	return r, p
end

return {
	{"geometry: the A4 content area", function()
		local g = tally.report{}:geometry()
		return {math.floor(g.width * 100 + 0.5) / 100, math.floor(g.height * 100 + 0.5) / 100}
	end, {515.28, 737.89}},
	{"the cursor starts under the title on the first page, at 0 on the next", function()
		local r = tally.report{title = "A title"}
		local p1, p2 = r:page(), r:page()
		return p1:cursor() > 30 and p2:cursor() == 0 and p2:remaining() == r:geometry().height
	end},
	{"a block is placed at the cursor and the cursor moves under it", function()
		local r = tally.report{}
		local p = r:page()
		local y0 = p:cursor()
		local at = p:chart(bars(), {h = 200})
		return at.y == y0 and at.h == 200 and at.sheet == 1 and not at.moved and p:cursor() > y0 + 200
	end},
	{"remaining is the content height less the cursor", function()
		local r = tally.report{}
		local p = r:page()
		p:text("one paragraph")
		return math.abs(p:remaining() + p:cursor() - r:geometry().height) < 1e-6
	end},
	{"a block that does not fit moves to a new sheet and says so", function()
		local _, p = filled(100)
		local at = p:chart(bars(), {h = 300})
		return at.moved and at.sheet == 2 and at.y == 0 and p:sheets() == 2
	end},
	{"skip = true: a block that does not fit is left out, and the script is told", function()
		local _, p = filled(100)
		local at, why = p:chart(bars(), {h = 300, skip = true})
		return at == nil and why:find("does not fit", 1, true) ~= nil and p:sheets() == 1
	end},
	{"a heading goes to the new sheet with the block under it", function()
		local _, p = filled(120)
		local head = p:heading("Section")
		local at = p:chart(bars(), {h = 300})
		return head.sheet == 1 and at.sheet == 2 and at.y > 10
	end},
	{"a flexible block shrinks to the room left instead of moving", function()
		local _, p = filled(200)
		local left = p:remaining()
		local at = p:chart(bars(), {h = 400, min_h = 150})
		return at.shrunk and not at.moved and math.abs(at.h - left) < 1e-6
	end},
	{"blocks already on the sheet with a min_h give way to one that would not fit", function()
		local r = tally.report{}
		local p = r:page()
		p:chart(bars(), {h = 400, min_h = 200})
		local at = p:chart(bars(), {h = 320})
		return at.sheet == 1 and not at.moved and at.h == 320
	end},
	{"columns: side by side at one y, the gap between", function()
		local r = tally.report{}
		local p = r:page()
		local at = p:columns{bars(), {text = "beside", w = 150}, gap = 20}
		local w = r:geometry().width
		return #at == 2 and at[1].y == at[2].y and math.abs(at[1].w - (w - 170)) < 1e-6
			and math.abs(at[2].x - (at[1].w + 20)) < 1e-6
	end},
	{"measure: a hanging date column is as wide as its text", function()
		local p = tally.report{}:page()
		local w1 = p:measure("<b>5 Apr</b>")
		local w2 = p:measure("<b>10 Apr 2023</b>")
		return w1 > 10 and w2 > w1
	end},
	{"an unknown box option raises", function()
		return tally.report{}:page():text("x", {hieght = 3})
	end, err("unknown box option 'hieght'")},
	{"links and headings reach the PDF (a URI action, an outline entry)", function()
		local r = tally.report{title = "Linked"}
		local p = r:page()
		p:heading("Section one")
		p:text("A source", {link = "https://example.org/item?id=1"})
		local path = H.tmpdir() .. "/r.pdf"
		assert(r:save(path))
		local pdf = slurp(path)
		return pdf:find("/URI (https://example.org/item?id=1)", 1, true) ~= nil
			and pdf:find("/Type /Outlines", 1, true) ~= nil and pdf:find("/S /H2", 1, true) ~= nil
	end},
	{"a report is dated when written unless SOURCE_DATE_EPOCH says otherwise", function()
		local src = 'local r = tally.report{title = "D"}; r:page():text("x"); assert(r:save(tally.args.out .. "/d.pdf"))'
		local out1, out2 = H.tmpdir(), H.tmpdir()
		H.run("run %s --out " .. out1, src, "SOURCE_DATE_EPOCH=")
		H.run("run %s --out " .. out2, src, "SOURCE_DATE_EPOCH=1700000000")
		local d1 = slurp(out1 .. "/d.pdf"):match("/CreationDate %(D?:?(%d%d%d%d)")
		local d2 = slurp(out2 .. "/d.pdf"):match("/CreationDate %(D?:?(%d+)")
		return d1 ~= nil and tonumber(d1) >= 2024 and d2 == "20231114221320"
	end},
}
