-- Compares $HERALD_A with $HERALD_B as rpmverCmp in rpm does: epoch (0 when
-- absent), version, then release (an absent release is older). Each part
-- goes through rpm.vercmp, so the rpmvercmp of the host decides.
local function parse(s)
  local e, rest = string.match(s, "^(%d+):(.*)$")
  if not e then rest = s end
  local v, r = string.match(rest, "^(.*)%-([^-]*)$")
  if not v then v = rest end
  return e or "0", v, r
end
local function cmp(x, y)
  if x == nil and y == nil then return 0 end
  if y == nil then return 1 end
  if x == nil then return -1 end
  return rpm.vercmp(x, y)
end
local ae, av, ar = parse(os.getenv("HERALD_A"))
local be, bv, br = parse(os.getenv("HERALD_B"))
local r = cmp(ae, be)
if r == 0 then r = cmp(av, bv) end
if r == 0 then r = cmp(ar, br) end
print(r)
