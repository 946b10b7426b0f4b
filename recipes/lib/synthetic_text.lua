-- Sentences for the synthetic corpus: English (4-12 common words) and Mandarin (Chinese characters),
-- built from small word lists by a few grammar patterns, driven by a seeded_random stream.
local M = {}

-- English word classes. Plain lowercase words only: every word is synthesized on its own and written
-- upper case in the transcript, so no punctuation, digits or apostrophes.
local names = { "anna", "peter", "mary", "john", "lucy", "david", "sarah", "thomas", "emma", "james", "clara",
  "henry", "alice", "robert", "grace", "oliver", "ruth", "walter", "helen", "frank", "martha", "george" }
local adjectives = { "old", "young", "small", "large", "quiet", "bright", "dark", "warm", "cold", "green", "red",
  "blue", "white", "black", "heavy", "gentle", "happy", "tired", "strange", "simple", "little", "long", "clean",
  "empty", "busy", "careful", "wooden", "narrow", "wide", "soft", "loud", "fresh", "golden", "silver", "kind",
  "brave", "proud", "lonely", "famous", "hidden", "distant", "friendly", "honest", "polite", "pretty", "sad",
  "clever", "rich", "poor", "early", "round", "open" }
local nouns = { "house", "garden", "river", "window", "table", "letter", "horse", "village", "teacher", "doctor",
  "farmer", "mountain", "forest", "door", "road", "city", "ship", "bird", "dog", "cat", "child", "friend",
  "mother", "father", "brother", "sister", "king", "queen", "soldier", "captain", "book", "story", "picture",
  "lamp", "chair", "kitchen", "bridge", "station", "market", "church", "school", "field", "hill", "lake",
  "island", "boat", "train", "basket", "apple", "bread", "candle", "flower", "tree", "stone", "wall", "path",
  "valley", "cottage", "stranger", "neighbor", "parcel", "carriage", "lantern", "shadow", "song", "coat", "hat",
  "key", "clock", "map", "box", "gate", "room", "girl", "boy", "woman", "man", "servant", "pony" }
local plurals = { "children", "apples", "flowers", "letters", "birds", "horses", "books", "stones", "windows",
  "friends", "soldiers", "ships", "trees", "candles", "pictures", "roads", "sheep", "cows", "girls", "boys",
  "women", "men", "keys", "boxes", "rooms", "songs", "stories", "hills" }
local verbs = { "found", "saw", "opened", "closed", "carried", "painted", "visited", "watched", "followed",
  "remembered", "noticed", "bought", "sold", "built", "brought", "took", "held", "crossed", "cleaned", "mended",
  "wrote", "answered", "called", "met", "helped", "left", "reached", "passed", "lifted", "pulled", "pushed",
  "washed", "kept", "showed", "described", "admired", "greeted", "counted", "gathered", "loved", "missed",
  "chose", "caught", "touched", "wanted" }
local intransitive = { "waited", "smiled", "laughed", "walked", "slept", "listened", "returned", "arrived",
  "stopped", "sang", "danced", "rested", "wandered", "whispered", "nodded", "hurried", "stayed", "worked",
  "shouted", "played", "prayed", "sat", "stood", "fell", "cried", "paused" }
local adverbs = { "quietly", "slowly", "quickly", "carefully", "gently", "suddenly", "happily", "softly", "again",
  "together", "twice", "alone", "outside", "away", "early", "late", "often", "today", "there", "here" }
local prepositions = { "near", "behind", "beside", "under", "across", "along", "through", "inside", "over",
  "beyond", "into", "toward", "past", "around", "above", "below", "between", "before" }
local times = { { "yesterday" }, { "today" }, { "tonight" }, { "later" }, { "then" }, { "soon" },
  { "in", "the", "morning" }, { "after", "dinner" }, { "before", "noon" }, { "every", "evening" },
  { "last", "summer" }, { "on", "sunday" }, { "at", "night" }, { "in", "the", "spring" } }
local determiners = { "the", "the", "the", "a", "this", "that", "her", "his", "our", "their", "my", "one" }
local plural_determiners = { "the", "the", "some", "these", "those", "her", "his", "our", "their", "many", "two",
  "three" }
local conjunctions = { "and", "but", "while", "because", "so" }

local function append(out, words)
  for _, w in ipairs(words) do out[#out + 1] = w end
  return out
end

-- "a" becomes "an" before a vowel sound: a vowel letter, or the silent h of "honest".
local function noun_phrase(r, plural)
  local det = plural and r:pick(plural_determiners) or r:pick(determiners)
  local words = {}
  if r:chance(0.45) then words[#words + 1] = r:pick(adjectives) end
  words[#words + 1] = plural and r:pick(plurals) or r:pick(nouns)
  if det == "a" and (words[1]:match("^[aeiou]") or words[1] == "honest") then det = "an" end
  table.insert(words, 1, det)
  return words
end

local function subject(r)
  if r:chance(0.35) then return { r:pick(names) } end
  return noun_phrase(r, r:chance(0.25))
end

local function prepositional(r)
  return append({ r:pick(prepositions) }, noun_phrase(r, r:chance(0.2)))
end

-- One clause: subject, verb and what may follow it.
local function clause(r)
  local words = subject(r)
  if r:chance(0.6) then
    words[#words + 1] = r:pick(verbs)
    append(words, noun_phrase(r, r:chance(0.3)))
  else
    words[#words + 1] = r:pick(intransitive)
  end
  if r:chance(0.4) then append(words, prepositional(r)) end
  if r:chance(0.3) then words[#words + 1] = r:pick(adverbs) end
  return words
end

local function english_candidate(r)
  local words = {}
  if r:chance(0.25) then append(words, r:pick(times)) end
  append(words, clause(r))
  if r:chance(0.35) then
    words[#words + 1] = r:pick(conjunctions)
    append(words, clause(r))
  end
  return words
end

--- An English sentence as a list of lowercase words, 4 to 12 of them. The length is drawn first, so
--- lengths spread evenly over the range; candidates are drawn until one has it (the nearest one after
--- 200 tries, never seen in practice).
function M.english(r)
  local want = r:int(4, 12)
  local best
  for _ = 1, 200 do
    local words = english_candidate(r)
    if #words == want then return words end
    if #words >= 4 and #words <= 12 and (not best or math.abs(#words - want) < math.abs(#best - want)) then
      best = words
    end
  end
  return best or { "the", "old", "man", "waited" }
end

-- Mandarin parts. Characters with several common readings (行 长 了 得 着 还 重 乐 地 都 觉 种 ...) are left
-- out, so the frontend's reading is the ordinary one; numbers and punctuation are left out too, so every
-- character is one pinyin syllable.
local zh_times = { "今天", "明天", "昨天", "早上", "晚上", "下午", "上午", "周末", "现在", "每天", "去年",
  "星期天" }
local zh_subjects = { "我", "我们", "你", "你们", "他", "她", "他们", "老师", "学生", "妈妈", "爸爸", "朋友",
  "医生", "孩子", "同学", "哥哥", "姐姐", "弟弟", "妹妹", "爷爷", "奶奶", "小明", "小红", "邻居", "经理" }
local zh_places = { "在家里", "在学校", "在公园", "在北京", "在上海", "在图书馆", "在医院", "在商店",
  "在办公室", "在餐厅", "在河边", "在山上", "在海边", "在教室", "在广州" }
local zh_actions = { "吃饭", "喝茶", "看书", "写字", "唱歌", "跳舞", "买菜", "做饭", "打球", "开车", "上课",
  "学习汉语", "看电视", "散步", "休息", "洗衣服", "画画", "游泳", "写信", "买水果", "喝咖啡", "读报纸",
  "聊天", "锻炼身体", "打电话", "做作业", "等公共汽车", "照顾花园", "准备晚饭", "参加比赛" }
local zh_adverbs = { "经常", "一起", "常常", "总是", "也", "每次", "偶尔", "马上", "认真" }
local zh_moods = { "喜欢", "想", "打算", "需要", "开始", "希望" }
local zh_weather = { "很好", "很热", "很冷", "非常晴朗", "特别舒服", "有点冷", "比较干燥", "非常安静" }
local zh_topics = { "天气", "空气", "风景", "公园", "城市", "房间" }

--- A Mandarin sentence as one string of Chinese characters (no spaces, no punctuation).
function M.mandarin(r)
  local pattern = r:int(1, 4)
  local parts = {}
  if pattern == 1 then
    parts = { r:pick(zh_times), r:pick(zh_subjects), r:pick(zh_places), r:pick(zh_actions) }
  elseif pattern == 2 then
    parts = { r:pick(zh_subjects), r:pick(zh_adverbs), r:pick(zh_places), r:pick(zh_actions) }
  elseif pattern == 3 then
    parts = { r:pick(zh_subjects), r:pick(zh_times), r:pick(zh_moods), r:pick(zh_actions) }
  else
    parts = { r:pick(zh_times), "的", r:pick(zh_topics), r:pick(zh_weather) }
  end
  return table.concat(parts)
end

return M
