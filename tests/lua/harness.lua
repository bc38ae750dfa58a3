-- Runs one table-driven Lua test file and prints "ok - NAME" or "not ok - NAME"
-- per case (tests/run calls it for every tests/lua/*.lua):
--
--     tally run --unsafe tests/lua/harness.lua -- tests/lua/module.lua
--
-- A test file gets the harness table H as `...` and returns a list of cases
-- {name, fn, expected}: fn() must return a value deeply equal to expected, or, when
-- expected is H.err(pattern), raise an error whose message contains pattern
-- (Lua's testes/errors.lua checkerr). Without expected, fn must return true.
local file = arg[1]
if file == nil or file:match("harness%.lua$") then
	return   -- the runner also runs the harness by itself: nothing to do
end

local H = {}
H.fixtures = "tests/fixtures"
H.digest = H.fixtures .. "/lua-digest.csv"
H.tally = os.getenv("TALLY") or "./tally"

local ERR = {}

function H.err(pattern)
	return setmetatable({pattern = pattern}, ERR)
end

-- checkerr(pattern, f, ...): true when f(...) raises an error containing pattern.
function H.checkerr(pattern, f, ...)
	local ok, msg = pcall(f, ...)
	if ok then
		return false, "no error (wanted '" .. pattern .. "')"
	end
	msg = tostring(msg)
	if not msg:find(pattern, 1, true) then
		return false, "error '" .. msg .. "' does not contain '" .. pattern .. "'"
	end
	return true
end

local function show(v, depth)
	depth = depth or 0
	if type(v) == "string" then
		return ("%q"):format(v)
	end
	if type(v) ~= "table" or getmetatable(v) or depth > 3 then
		return tostring(v)
	end
	local keys = {}
	for k in pairs(v) do
		keys[#keys + 1] = k
	end
	table.sort(keys, function(a, b)
		if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then
			return a < b
		end
		return type(a) < type(b)
	end)
	local parts = {}
	for _, k in ipairs(keys) do
		local ks = math.type(k) == "integer" and "" or (type(k) == "string" and k:match("^[%a_][%w_]*$") and k .. "=" or "[" .. show(k) .. "]=")
		parts[#parts + 1] = ks .. show(v[k], depth + 1)
	end
	return "{" .. table.concat(parts, ", ") .. "}"
end
H.show = show

-- Deep equality: tables by content, numbers by value (floats to 1e-9), userdata
-- such as dates by __eq or by their printed form.
local function equal(a, b)
	if type(a) == "number" and type(b) == "number" then
		return a == b or math.abs(a - b) < 1e-9
	end
	if type(a) ~= type(b) then
		return false
	end
	if type(a) == "userdata" then
		return a == b or tostring(a) == tostring(b)
	end
	if type(a) ~= "table" then
		return a == b
	end
	for k, v in pairs(a) do
		if not equal(v, b[k]) then
			return false
		end
	end
	for k in pairs(b) do
		if a[k] == nil then
			return false
		end
	end
	return true
end
H.equal = equal

-- A fresh directory for outputs (removed by the harness when it ends).
local tmpdirs = {}
function H.tmpdir()
	local p = io.popen("mktemp -d")
	local dir = p:read("l")
	p:close()
	tmpdirs[#tmpdirs + 1] = dir
	return dir
end

local crashes = {}

-- H.run(args, script [, env]): runs `tally ARGS` (script written to a file first
-- and named by %s in args; env such as "TALLY_PLUGIN_PATH=dir" before it) and
-- returns exit status, stdout, stderr.
function H.run(args, script, env)
	local dir = H.tmpdir()
	if script then
		local f = assert(io.open(dir .. "/script.lua", "w"))
		f:write(script)
		f:close()
		args = args:gsub("%%s", dir .. "/script.lua")
	end
	local cmd = ("%s %s %s >%s/out 2>%s/err; echo $?"):format(env and "env " .. env or "", H.tally, args, dir, dir)
	local p = io.popen(cmd)
	local rc = tonumber(p:read("a"))
	p:close()
	if rc and rc > 128 then   -- a crash is a failure whatever the case expects
		crashes[#crashes + 1] = ("%s died by signal %d"):format(args, rc - 128)
	end
	local function slurp(name)
		local f = io.open(dir .. "/" .. name)
		local s = f and f:read("a") or ""
		if f then f:close() end
		return s
	end
	return rc, slurp("out"), slurp("err")
end

local name = file:match("([^/]+)%.lua$") or file
local chunk, msg = loadfile(file, "t")
if not chunk then
	print("not ok - " .. name .. ": cannot load: " .. msg)
	return
end
local ok, cases = pcall(chunk, H)
if not ok or type(cases) ~= "table" then
	print("not ok - " .. name .. ": setting up: " .. tostring(cases))
	return
end

local failed = 0
for i, case in ipairs(cases) do
	local cname, fn, want = case[1] or ("case " .. i), case[2], case[3]
	local good, why
	if getmetatable(want) == ERR then
		good, why = H.checkerr(want.pattern, fn)
	else
		local pok, got = pcall(fn)
		if not pok then
			good, why = false, "raised: " .. tostring(got)
		elseif want == nil then
			good, why = got == true, "returned " .. show(got)
		else
			good, why = equal(got, want), "got " .. show(got) .. ", want " .. show(want)
		end
	end
	if good then
		print("ok - " .. name .. ": " .. cname)
	else
		failed = failed + 1
		print("not ok - " .. name .. ": " .. cname .. ": " .. why)
	end
end

for _, why in ipairs(crashes) do
	print("not ok - " .. name .. ": tally " .. why)
end

for _, dir in ipairs(tmpdirs) do
	os.execute("rm -rf '" .. dir .. "'")
end
