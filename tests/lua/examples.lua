-- checks: 15
-- Every command a user can copy from the pages runs, and prints what the page
-- shows: README.md (its shell blocks and ```lua blocks), the shell blocks of every
-- doc/*.md (doc/lua-api.md's ```lua blocks are tests/lua/doc.lua's) and the
-- EXAMPLES of tally.1.
--
-- In a Markdown page an example is an indented block (shell) or a ```lua block:
--   - in a shell block, a line "$ COMMAND" runs COMMAND (stdout and stderr
--     together) and the lines below it, up to the next "$" line, are its output,
--     compared exactly; any other line that is not a "#" comment is a command that
--     must exit 0;
--   - a ```lua block of the README runs as a report script on the bundled dataset,
--     with --out;
--   - a block under a line starting <!-- not run is skipped (make test itself, make
--     bench, what needs make install), and a ```text block is not an example.
-- In tally.1 the examples are the .nf/.fi blocks of the EXAMPLES section, read as a
-- shell block; the page is installed beside tally, so it writes `tally`.
-- Commands run in a scratch directory holding links to data/, tests/, scripts/,
-- plugins/ and doc/, with ./tally meaning the binary under test; a command of a
-- Markdown page that calls a bare `tally` fails, since nothing puts tally on PATH
-- before make install.
local H = ...

local root = io.popen("pwd"):read("l")

local function shq(s)
	return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- The scratch directory, made once: links to the repository's inputs.
local scratch
local function workdir()
	if not scratch then
		scratch = H.tmpdir()
		for _, d in ipairs{"data", "tests", "scripts", "plugins", "doc"} do
			os.execute(("ln -s %s %s"):format(shq(root .. "/" .. d), shq(scratch .. "/" .. d)))
		end
	end
	return scratch
end

-- Runs one shell command in the scratch directory: exit status and output.
local function sh(cmd)
	local out = workdir() .. "/.out"
	local full = ("cd %s && TALLY_BIN=%s; tally() { echo 'tally is not on PATH: the page must say ./tally' >&2; return 127; }; %s >%s 2>&1; echo $?")
		:format(shq(workdir()), shq(H.tally), cmd:gsub("%./tally", '"$TALLY_BIN"'), shq(out))
	local p = io.popen(full)
	local rc = tonumber(p:read("a")) or -1
	p:close()
	local f = io.open(out)
	local text = f:read("a")
	f:close()
	return rc, text
end

local function readlines(path)
	local lines = {}
	for l in io.lines(path) do lines[#lines + 1] = l end
	return lines
end

-- The blocks of a Markdown page, in order: {page =, line = N, kind = "sh"|"lua", lines = {...}}.
local function markdown_blocks(page, with_lua, blocks)
	local lines = readlines(page)
	local i, skip = 1, false
	while i <= #lines do
		local l = lines[i]
		if l:match("^<!%-%- not run") then
			skip = true
		elseif l:match("^```") then
			local lang, start, body = l:match("^```(%w*)"), i, {}
			i = i + 1
			while i <= #lines and not lines[i]:match("^```") do
				body[#body + 1] = lines[i]
				i = i + 1
			end
			if lang == "lua" and with_lua and not skip then
				blocks[#blocks + 1] = {page = page, line = start, kind = "lua", lines = body}
			end
			skip = false
		elseif l:match("^    ") and (i == 1 or lines[i - 1] == "") then
			local start, body = i, {}
			while i <= #lines and (lines[i]:match("^    ") or (lines[i] == "" and (lines[i + 1] or ""):match("^    "))) do
				body[#body + 1] = lines[i]:sub(5)
				i = i + 1
			end
			i = i - 1
			if not skip then
				blocks[#blocks + 1] = {page = page, line = start, kind = "sh", lines = body}
			end
			skip = false
		elseif l ~= "" then
			skip = false
		end
		i = i + 1
	end
end

-- The .nf/.fi blocks of a man page's EXAMPLES section, roff escapes undone and
-- `tally` meaning the binary under test.
local function man_blocks(page, blocks)
	local lines = readlines(page)
	local on, block = false, nil
	for n, l in ipairs(lines) do
		if l:match("^%.SH ") then
			on = l == ".SH EXAMPLES"
		elseif on and l == ".nf" then
			block = {page = page, line = n, kind = "sh", lines = {}}
		elseif on and l == ".fi" and block then
			blocks[#blocks + 1] = block
			block = nil
		elseif block then
			l = l:gsub("\\%-", "-"):gsub("\\e", "\\"):gsub("\\%(aq", "'")
			l = l:gsub("^%$ tally ", "$ ./tally "):gsub("^tally ", "./tally ")
			block.lines[#block.lines + 1] = l
		end
	end
end

local blocks = {}
markdown_blocks("README.md", true, blocks)
local nreadme = #blocks
local docs = io.popen("ls doc/*.md")
for page in docs:lines() do
	markdown_blocks(page, page ~= "doc/lua-api.md", blocks)
end
docs:close()
local ndocs = #blocks
man_blocks("tally.1", blocks)
local nman = #blocks - ndocs

-- A shell block: each "$" command with its output, each other command by status.
local function shell_case(b)
	local k = 1
	while k <= #b.lines do
		local l = b.lines[k]
		local cmd = l:match("^%$ (.*)")
		if cmd then
			local want = {}
			k = k + 1
			while k <= #b.lines and not b.lines[k]:match("^%$ ") do
				want[#want + 1] = b.lines[k]
				k = k + 1
			end
			while #want > 0 and want[#want] == "" do want[#want] = nil end
			local _, got = sh(cmd)
			got = got:gsub("\n$", "")
			local w = table.concat(want, "\n")
			if got ~= w then
				return false, ("%s:%d: `%s` printed\n%s\nnot\n%s"):format(b.page, b.line, cmd, got, w)
			end
		else
			local c = l:gsub("%s+#.*$", "")
			if c ~= "" and not c:match("^#") then
				local rc, got = sh(c)
				if rc ~= 0 then
					return false, ("%s:%d: `%s` exited %d: %s"):format(b.page, b.line, c, rc, got)
				end
			end
			k = k + 1
		end
	end
	return true
end

local function lua_case(b)
	local dir = workdir()
	local f = assert(io.open(dir .. "/example.lua", "w"))
	f:write(table.concat(b.lines, "\n"), "\n")
	f:close()
	local rc, got = sh("./tally run example.lua --data data/cica-digest-2023q2.csv --out out-" .. b.line)
	if rc ~= 0 then
		return false, ("%s:%d: the Lua example exited %d: %s"):format(b.page, b.line, rc, got)
	end
	return true
end

local cases = {}
for _, b in ipairs(blocks) do
	local first = b.kind == "lua" and "lua" or (b.lines[1] or ""):gsub("^%$ ", "")
	cases[#cases + 1] = {("%s:%d: %s"):format(b.page, b.line, first:sub(1, 60)),
		function()
			local ok, why = (b.kind == "lua" and lua_case or shell_case)(b)
			if not ok then error(why, 0) end
			return true
		end}
end
cases[#cases + 1] = {"README.md has examples to run", function() return nreadme >= 6 end}
cases[#cases + 1] = {"tally.1 has EXAMPLES to run", function() return nman >= 1 end}
return cases
