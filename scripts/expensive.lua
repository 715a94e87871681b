-- The most expensive answers the atlas gives (docs/PERFORMANCE.md, issue 13): the
-- catalogue's largest pages, drawings and reports, and the largest definitions the
-- limits accept, posted to the API and the playground. Every one answers 200.
local chain = "id: net\ninput: {c: 3, h: 32, w: 32}\nlayers:\n  - {repeat: 19999, layers: [{conv: {out: 1, k: 1}}]}\n"
local dense = "id: net\ninput: {c: 3, h: 8, w: 8}\nlayers:\n  - dense: {n: 127, layer: [{conv: {out: 1, k: 1}}]}\n"
local yaml = {["Content-Type"] = "application/yaml"}
local requests = {
  {"GET", "/a/resnet1202?expand=all", nil, nil},
  {"GET", "/a/resnet1202?view=table", nil, nil},
  {"GET", "/embed/resnet1202.svg?expand=all", nil, nil},
  {"GET", "/api/archs/resnet1202", nil, nil},
  {"GET", "/a/densenet201?expand=all", nil, nil},
  {"GET", "/a/nasnet_a_mobile?expand=all", nil, nil},
  {"GET", "/a/preact_resnet1001/diagram?expand=all", {["HX-Request"] = "true"}, nil},
  {"GET", "/compare?ids=resnet1202,preact_resnet1001,densenet201,nasnet_a_mobile,senet154,inception_v4,resnet152,densenet161,densenet169,inception_v3,resnext101_32x8d,googlenet", nil, nil},
  {"POST", "/api/analyze", yaml, chain},
  {"POST", "/api/render?expand=all", yaml, chain},
  {"POST", "/api/render?expand=all", yaml, dense},
  {"POST", "/notes/preview", {["Content-Type"] = "application/x-www-form-urlencoded"},
   "src=%60%60%60arch-table+resnet1202%0A%60%60%60%0A%0A%60%60%60arch+densenet201+expand%3Dall%0A%60%60%60%0A"},
}
local i = 0
request = function()
  i = i + 1
  local r = requests[(i % #requests) + 1]
  local headers = {}
  for k, v in pairs(r[3] or {}) do headers[k] = v end
  headers["Accept-Encoding"] = "gzip"
  return wrk.format(r[1], r[2], headers, r[4])
end
