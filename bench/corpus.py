"""A realistic benchmark corpus: a national cascade of plans, generated deterministically.

Shape (after the seeds and the way provinces publish their plans):
- central directives (Chỉ thị …/CT-TTg, Nghị quyết …/NQ-CP, party Kết luận …-KL/TW) at the top;
- each province's UBND carries one out with a Kế hoạch …/KH-UBND; its departments (Sở …) and
  districts carry out the province's plan; the communes of a district carry out the district's;
- every document cites 6–30 instruments drawn from a Zipf-like pool of real-looking national and
  local instruments, with the damage real PDF text has (symbols broken across lines, "NĐCP",
  "QĐ -TTg", a footnote area after a rule of spaces), a header, Nơi nhận and a signer;
- a few percent of the national pool is superseded: `registry_rows()` gives those facts in the
  registry's CSV format, and the real registry subjects (30c/NQ-CP, 60/2013/NĐ-CP …) are in the pool.

Deterministic by seed; `documents()` is a generator, so a 1M-document corpus is written one file
at a time and never held in memory.

    python -m bench.corpus --docs 10000 --out bench/out/corpus-10k
"""

from __future__ import annotations

import argparse
import bisect
import csv
import functools
import importlib.resources
import itertools
import json
import random
import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP = ".generator"  # in a written corpus: the generator's stamp

DEPARTMENTS = [("Sở Nội vụ", "SNV"), ("Sở Tư pháp", "STP"), ("Sở Tài chính", "STC"), ("Sở Y tế", "SYT"),
               ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Thông tin và Truyền thông", "STTTT"),
               ("Sở Ngoại vụ", "SNgV"), ("Sở Kế hoạch và Đầu tư", "SKHĐT")]
TOPICS = ["công tác dân vận chính quyền", "cải cách hành chính", "chuyển đổi số", "phổ biến, giáo dục pháp luật",
          "thực hiện dân chủ ở cơ sở", "phòng, chống tham nhũng, tiêu cực", "tiếp công dân, giải quyết khiếu nại, tố cáo",
          "xây dựng nông thôn mới", "văn hóa công vụ"]
# Prose of the kind plans are mostly made of (written for the generator, not copied).
PROSE = [
    "Nâng cao nhận thức, trách nhiệm của cán bộ, công chức, viên chức và người lao động về vị trí, vai trò của công tác này trong tình hình mới.",
    "Việc triển khai thực hiện phải bảo đảm nghiêm túc, thiết thực, hiệu quả, phù hợp với chức năng, nhiệm vụ của từng cơ quan, đơn vị, địa phương.",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong quản lý, điều hành, giải quyết công việc; xây dựng và sử dụng có hiệu quả các cơ sở dữ liệu chuyên ngành.",
    "Tăng cường công tác kiểm tra, giám sát, kịp thời phát hiện, chấn chỉnh, xử lý nghiêm các hành vi vi phạm, gây phiền hà cho người dân và doanh nghiệp.",
    "Phát huy vai trò của Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội trong việc tham gia giám sát, phản biện xã hội và góp ý xây dựng chính quyền.",
    "Thực hiện tốt phương châm dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng trong toàn bộ quá trình tổ chức thực hiện.",
    "Chủ động nắm bắt tình hình, tâm tư, nguyện vọng của Nhân dân; giải quyết kịp thời, dứt điểm những kiến nghị chính đáng ngay từ cơ sở.",
    "Biểu dương, khen thưởng kịp thời các tập thể, cá nhân có thành tích tiêu biểu; nhân rộng các mô hình, điển hình tiên tiến trên địa bàn.",
    "Bố trí kinh phí thực hiện từ nguồn ngân sách nhà nước được giao trong dự toán hằng năm của cơ quan, đơn vị và các nguồn hợp pháp khác.",
    "Định kỳ sáu tháng, hằng năm tổ chức sơ kết, tổng kết, đánh giá kết quả thực hiện, rút kinh nghiệm và đề xuất giải pháp cho giai đoạn tiếp theo.",
    "Rà soát, đơn giản hóa thủ tục hành chính, công khai, minh bạch quy trình giải quyết, rút ngắn thời gian và giảm chi phí tuân thủ cho tổ chức, cá nhân.",
    "Xây dựng đội ngũ cán bộ, công chức chuyên nghiệp, có phẩm chất đạo đức, tận tụy phục vụ Nhân dân, đáp ứng yêu cầu nhiệm vụ trong giai đoạn mới.",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Hữu", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phong", "Tâm", "Trọng"]
# real instruments the registry knows, cited often (so stale findings exist at every size)
REAL = [
    ("Nghị quyết", "30c/NQ-CP", date(2011, 11, 8), "Chính phủ"),
    ("Nghị định", "60/2013/NĐ-CP", date(2013, 6, 19), "Chính phủ"),
    ("Nghị định", "04/2015/NĐ-CP", date(2015, 1, 9), "Chính phủ"),
    ("Pháp lệnh", "34/2007/PL-UBTVQH11", date(2007, 4, 20), "Ủy ban Thường vụ Quốc hội"),
    ("Chỉ thị", "33/CT-TTg", date(2021, 11, 26), "Thủ tướng Chính phủ"),
    ("Nghị quyết", "76/NQ-CP", date(2021, 7, 15), "Chính phủ"),
    ("Quyết định", "23-QĐ/TW", date(2021, 7, 30), "Bộ Chính trị"),
    ("Quy định", "124-QĐ/TW", date(2018, 2, 2), "Ban Bí thư"),
    ("Nghị định", "112/2020/NĐ-CP", date(2020, 9, 18), "Chính phủ"),
    ("Quyết định", "09/2015/QĐ-TTg", date(2015, 3, 25), "Thủ tướng Chính phủ"),
]
NATIONAL_SHAPES = [
    ("Nghị định", "{n}/{y}/NĐ-CP", "Chính phủ"), ("Nghị quyết", "{n}/NQ-CP", "Chính phủ"),
    ("Quyết định", "{n}/QĐ-TTg", "Thủ tướng Chính phủ"), ("Chỉ thị", "{n}/CT-TTg", "Thủ tướng Chính phủ"),
    ("Thông tư", "{n}/{y}/TT-BNV", "Bộ Nội vụ"), ("Thông tư", "{n}/{y}/TT-BTC", "Bộ Tài chính"),
    ("Kết luận", "{n}-KL/TW", "Bộ Chính trị"), ("Nghị quyết", "{n}-NQ/TW", "Ban Chấp hành Trung ương"),
    ("Chỉ thị", "{n}-CT/TW", "Ban Bí thư"), ("Quy định", "{n}-QĐi/TW", "Bộ Chính trị"),
    ("Công văn", "{n}/BNV-CQĐP", "Bộ Nội vụ"),
]


@dataclass(frozen=True, slots=True)
class Instrument:
    type: str
    symbol: str
    date: date
    issuer: str

    def cite(self, rng: random.Random) -> str:
        """Written the way plans write it, with a share of the damage PDF text carries."""
        sym = self.symbol
        r = rng.random()
        if r < 0.04 and "-" in sym:
            i = sym.index("-")
            sym = sym[: i + 1] + "\n" + sym[i + 1 :]  # "18-\nNQ/TW", "1847/QĐ-\nTTg"
        elif r < 0.06 and "NĐ-CP" in sym:
            sym = sym.replace("NĐ-CP", "NĐCP")
        elif r < 0.08 and "/QĐ-" in sym:
            sym = sym.replace("/QĐ-", "/QĐ -")
        when = (f"ngày {self.date.day:02d}/{self.date.month}/{self.date.year}" if rng.random() < 0.8
                else f"ngày {self.date.day} tháng {self.date.month} năm {self.date.year}")
        return f"{self.type} số {sym} {when} của {self.issuer}"


class Pool:
    """National instruments with Zipf-like popularity (rank r cited ∝ 1/r^1.1)."""

    def __init__(self, rng: random.Random, size: int):
        items: list[Instrument] = [Instrument(*x) for x in REAL]
        seen = {i.symbol for i in items}
        while len(items) < size:
            typ, shape, issuer = rng.choice(NATIONAL_SHAPES)
            d = date(2005, 1, 1) + timedelta(days=rng.randrange(0, 19 * 365))
            sym = shape.format(n=rng.randrange(1, 2500), y=d.year)
            if sym in seen:
                continue
            seen.add(sym)
            items.append(Instrument(typ, sym, d, issuer))
        # the real ones keep top ranks among the first 40
        head, tail = items[: len(REAL)], items[len(REAL) :]
        rng.shuffle(tail)
        self.items = tail[:30] + head + tail[30:]
        weights = [1 / (r + 1) ** 1.1 for r in range(len(self.items))]
        self.cum = list(itertools.accumulate(weights))

    def sample(self, rng: random.Random, k: int, before: date) -> list[Instrument]:
        """`k` instruments by popularity, all issued before `before` (a plan cites nothing later)."""
        out: dict[str, Instrument] = {}
        for _ in range(50 * k):
            i = bisect.bisect_left(self.cum, rng.random() * self.cum[-1])
            if self.items[i].date < before:
                out.setdefault(self.items[i].symbol, self.items[i])
                if len(out) == k:
                    break
        return list(out.values())

    def superseded(self, rng: random.Random, share: float = 0.03) -> list[tuple[Instrument, Instrument, date]]:
        """A few percent of the synthetic pool replaced by another pool member, with the date."""
        out = []
        synthetic = [i for i in self.items if i.symbol not in {x[1] for x in REAL}]
        for old in synthetic[: int(len(synthetic) * share * 3) : 3]:
            new = rng.choice(synthetic)
            if new.date > old.date:
                out.append((old, new, new.date + timedelta(days=45)))
        return out


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _render(rng: random.Random, *, header: tuple[str, str], number: str, place: str, when: date, title: str,
            parent: str, issuer_sentence: str, cites: list[Instrument], position: str, signer: str) -> str:
    parts = [f"{header[0]:<40}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f"{header[1]:<40}Độc lập - Tự do - Hạnh phúc",
             f"Số: {number:<36}{place}, ngày {when.day:02d} tháng {when.month:02d} năm {when.year}", "",
             "KẾ HOẠCH", title, "", f"Thực hiện {parent}, {issuer_sentence} xây dựng Kế hoạch như sau:", "",
             "I. MỤC ĐÍCH, YÊU CẦU", "- Triển khai thực hiện nghiêm túc, hiệu quả các nhiệm vụ được giao.", "",
             "II. NỘI DUNG THỰC HIỆN"]
    body_cites, note_cites = (cites[:-4], cites[-4:]) if len(cites) > 8 else (cites, [])
    for i in range(0, len(body_cites), 3):
        group = "; ".join(c.cite(rng) + f" về {rng.choice(TOPICS)}" for c in body_cites[i : i + 3])
        parts.append(f"{i // 3 + 1}. Tiếp tục quán triệt và thực hiện có hiệu quả {group}.")
        parts.extend("- " + rng.choice(PROSE) for _ in range(rng.randrange(7, 15)))
    if note_cites:
        parts += [" " * 48, "1", "; ".join(c.cite(rng) for c in note_cites) + "."]
    deadline = when + timedelta(days=rng.randrange(30, 200))
    parts += ["", "III. TỔ CHỨC THỰC HIỆN",
              f"Các đơn vị báo cáo kết quả trước ngày {deadline.day:02d}/{deadline.month:02d}/{deadline.year}./.", "",
              f"Nơi nhận:{'':<30}{position.upper()}", "- Như trên;", "- Lưu: VT.", "", f"{'':<40}{signer}", ""]
    return "\n".join(parts)


FIRST_YEAR, LAST_YEAR = 2016, 2025  # the span plans are dated in: rounds of the cascade cycle through it
MERGER = date(2025, 7, 1)  # 63 provinces → 34, and no district level (Nghị quyết 202/2025/QH15)
_DISTRICT_WORDS = ("thành phố", "thị xã", "huyện", "quận")


@functools.cache
def divisions() -> list[tuple[str, str, list[tuple[str, list[str]]]]]:
    """The units before 1 July 2025, from the gazetteer the loaders use (vietnam-provinces 0.6.0):
    (unit word, province name, [(district as written, [communes as written])]), e.g.
    ("tỉnh", "Gia Lai", [("huyện Đak Đoa", ["thị trấn Đak Đoa", "xã Glar", …]), …])."""
    resource = importlib.resources.files("vietnam_provinces") / "data" / "nested-divisions.json"
    out = []
    for p in json.loads(resource.read_text(encoding="utf-8")):
        word, name = _split(p["name"], ("thành phố", "tỉnh"))
        districts = [(" ".join(_split(d["name"], _DISTRICT_WORDS)),
                      [" ".join(_split(w["name"], ("thị trấn", "xã", "phường"))) for w in d["wards"]])
                     for d in p["districts"]]
        out.append((word, name, districts))
    return out


def _split(name: str, words: tuple[str, ...]) -> tuple[str, str]:
    """("Thị Trấn Đak Đoa", …) → ("thị trấn", "Đak Đoa"): the unit word lower-cased, and the name."""
    name = unicodedata.normalize("NFC", name)
    for word in words:
        if name.lower().startswith(word + " "):
            return word, name[len(word) + 1 :]
    raise ValueError(f"no unit word in {name!r}")


@functools.cache
def merged_provinces() -> list[tuple[str, str, list[str]]]:
    """The 34 provinces from 1 July 2025 (``ontology/provinces_2025.csv``): (unit word, name, the
    communes of the provinces merged into it, by their names before the merger)."""
    merged: dict[str, list[str]] = {}
    with open(ROOT / "ontology" / "provinces_2025.csv", encoding="utf-8", newline="") as f:
        successor = {row["old_province"]: row["new_province"] for row in csv.DictReader(f)}
    for _, name, districts in divisions():
        new = successor.get(name) or successor["Thừa Thiên Huế" if name == "Huế" else name]
        merged.setdefault(new, []).extend(c for _, communes in districts for c in communes)
    out = []
    for new, communes in merged.items():
        word, name = _split(new, ("thành phố",)) if new.startswith("Thành phố ") else ("tỉnh", new)
        out.append((word, name, communes))
    return out


class _Numbers:
    """Each issuer numbers its plans from 1 every year, as registers do (a few numbers apart: other
    documents share the register), so no two plans of one issuer and year share a number."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.last = rng, {}

    def __call__(self, issuer: str, year: int, code: str) -> str:
        n = self.last.get((issuer, year), 0) + self.rng.randrange(1, 40)
        self.last[(issuer, year)] = n
        return f"{n}/KH-{code}"


def _cite_plan(number: str, when: date, issuer: str) -> str:
    return f"Kế hoạch số {number} ngày {when.day:02d}/{when.month:02d}/{when.year} của {issuer}"


def documents(n: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """(relative path, text) of `n` documents forming a national cascade.

    Each round carries one central instrument down: before 1 July 2025 through the 63 provinces,
    their departments and some of their districts (real names), then some communes of each of
    those districts; from then on through the 34 merged provinces, their departments and their
    communes (there are no districts). Rounds are dated from 2021 and cycle through 2016-2025, so
    every size has plans of plausible years (a million documents: ~22 rounds a year)."""
    rng = random.Random(seed)
    pool = Pool(rng, size=max(200, min(20_000, n // 5)))
    numbers = _Numbers(rng)
    count = 0
    for round_ in itertools.count():
        year = FIRST_YEAR + (2021 - FIRST_YEAR + round_) % (LAST_YEAR - FIRST_YEAR + 1)
        base = date(year, 1, 1) + timedelta(days=rng.randrange(0, 300))
        merged = base >= MERGER - timedelta(days=150)  # a pre-merger round ends before July (districts)
        base = max(base, MERGER) if merged else base
        directive = rng.choice([i for i in pool.items[:40] if i.date < base] or pool.items[:1])
        provinces = ([(w, p, [], communes) for w, p, communes in merged_provinces()] if merged
                     else [(w, p, districts, []) for w, p, districts in divisions()])
        for p_index, (word, province, districts, communes) in enumerate(provinces):
            province_issuer = f"UBND {word} {province}"
            when = base + timedelta(days=rng.randrange(0, 20))
            number = numbers(province_issuer, when.year, "UBND")
            text = _render(rng, header=("ỦY BAN NHÂN DÂN", f"{word} {province}".upper()), number=number,
                           place=province, when=when, title=f"Thực hiện {directive.type} số {directive.symbol}",
                           parent=directive.cite(rng), issuer_sentence=f"Ủy ban nhân dân {word} {province}",
                           cites=pool.sample(rng, rng.randrange(6, 30), when), position="Chủ tịch", signer=_person(rng))
            yield f"{when.year}/{p_index:02d}/{count:07d}-tinh-{number.split('/')[0]}.txt", text
            count += 1
            if count >= n:
                return
            prov_plan = _cite_plan(number, when, province_issuer)
            units = [(d, c, "", []) for d, c in DEPARTMENTS]
            if merged:
                units += [(c, "UBND", "", []) for c in rng.sample(communes, min(len(communes), rng.randrange(8, 20)))]
            else:
                for d, d_communes in rng.sample(districts, min(len(districts), rng.randrange(4, 12))):
                    units.append((d, "UBND", "", d_communes))
            for name, code, _, below in units:
                d_when = when + timedelta(days=rng.randrange(5, 60))
                local = code == "UBND"
                issuer = f"Ủy ban nhân dân {name}" if local else name
                d_number = numbers(f"{province}/{name}", d_when.year, code)
                header = ((f"UBND {word} {province}".upper(), f"UBND {name}".upper()) if local and merged
                          else ("ỦY BAN NHÂN DÂN", name.upper()) if local
                          else (f"UBND {word} {province}".upper(), name.upper()))
                text = _render(rng, header=header, number=d_number, place=province, when=d_when,
                               title=f"Triển khai Kế hoạch số {number} của UBND {word}", parent=prov_plan,
                               issuer_sentence=issuer, cites=pool.sample(rng, rng.randrange(6, 25), d_when),
                               position="Chủ tịch" if local else "Giám đốc", signer=_person(rng))
                yield f"{d_when.year}/{p_index:02d}/{count:07d}-{code.lower()}-{d_number.split('/')[0]}.txt", text
                count += 1
                if count >= n:
                    return
                district_plan = _cite_plan(d_number, d_when, f"UBND {name}")
                for commune in rng.sample(below, min(len(below), rng.randrange(2, 8))):
                    c_when = d_when + timedelta(days=rng.randrange(5, 45))
                    c_number = numbers(f"{province}/{name}/{commune}", c_when.year, "UBND")
                    text = _render(rng, header=(f"UBND {name}".upper(), f"UBND {commune}".upper()), number=c_number,
                                   place=commune.split(" ", 1)[1] if commune.startswith("xã ") else province,
                                   when=c_when, title=f"Triển khai Kế hoạch số {d_number} của UBND {name}",
                                   parent=district_plan, issuer_sentence=f"Ủy ban nhân dân {commune}",
                                   cites=pool.sample(rng, rng.randrange(6, 20), c_when), position="Chủ tịch",
                                   signer=_person(rng))
                    yield f"{c_when.year}/{p_index:02d}/{count:07d}-xa-{c_number.split('/')[0]}.txt", text
                    count += 1
                    if count >= n:
                        return


def registry_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    """Supersession facts for the synthetic pool, in the registry's CSV columns."""
    rng = random.Random(seed)
    pool = Pool(rng, size=max(200, min(20_000, n // 5)))
    rows = []
    for old, new, effective in pool.superseded(random.Random(seed + 1)):
        rows.append({"subject_symbol": old.symbol, "subject_date": old.date.isoformat(), "subject_issuer": old.issuer,
                     "subject_title": "", "relation": "replaced_by", "object_symbol": new.symbol,
                     "object_date": new.date.isoformat(), "effective_date": effective.isoformat(),
                     "confidence": "high", "source": "bench generator (synthetic)", "evidence": ""})
    return rows


# The version of what this generator writes. Corpora and stores kept from another version are made
# again (`bench.queries` and `bench.million` keep them between runs: hours of work at a million).
# Give it a new value whenever the documents or the registry change; a refactoring that writes the
# same bytes keeps it. tests/test_bench_corpus.py pins a digest of the output to this value, so a
# change to the output that forgets it fails there. (Until 2026-11-24 the stamp was a hash of this
# file's source, so any edit discarded every kept store; the value is the last such hash, which
# the kept stores carry.)
GENERATOR_VERSION = "b61961f28b37"


def generator_stamp() -> str:
    """The stamp written beside a corpus and in a kept store's record (`GENERATOR_VERSION`)."""
    return GENERATOR_VERSION


def written_by_this_generator(out: Path) -> bool:
    """Whether `out` holds a complete corpus written by this version of the generator."""
    try:
        return (out / STAMP).read_text(encoding="utf-8").strip() == generator_stamp()
    except OSError:
        return False


def write_corpus(n: int, out: Path, seed: int = 1) -> tuple[int, int]:
    """Write `n` documents and `registry.csv` under `out`, and last the generator's stamp; return
    (documents, bytes)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / STAMP).unlink(missing_ok=True)
    total = docs = 0
    for rel, text in documents(n, seed):
        path = out / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
        docs += 1
    rows = registry_rows(n, seed)
    with (out / "registry.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["subject_symbol"])
        w.writeheader()
        w.writerows(rows)
    (out / STAMP).write_text(generator_stamp() + "\n", encoding="utf-8")
    return docs, total


def kept_corpus(n: int, out: Path, seed: int = 1) -> tuple[int, int]:
    """The corpus in `out` if this generator wrote it whole, else written again; (documents, bytes)."""
    if not written_by_this_generator(out):  # missing, cut short, or from another generator version
        shutil.rmtree(out, ignore_errors=True)
        return write_corpus(n, out, seed)
    files = [p for p in (out / "docs").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    docs, nbytes = write_corpus(a.docs, a.out, a.seed)
    print(f"{docs} documents, {nbytes / 1e6:.1f} MB in {a.out}")


if __name__ == "__main__":
    main()
