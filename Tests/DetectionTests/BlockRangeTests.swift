import Testing

@testable import Detection

@Suite("Block ranges")
struct BlockRangeTests {
    @Test("a table's blocks divide into adjoining ranges, open at both ends, of sizes a block apart")
    func dividing() {
        #expect(
            BlockRange.dividing(10, into: 3) == [
                BlockRange(first: nil, last: 4), BlockRange(first: 4, last: 7), BlockRange(first: 7, last: nil),
            ])
        #expect(
            BlockRange.dividing(631_945, into: 2) == [
                BlockRange(first: nil, last: 315_973), BlockRange(first: 315_973, last: nil),
            ])
        // An empty table, or one with fewer blocks than parts: the last range still takes every row.
        #expect(
            BlockRange.dividing(0, into: 2) == [BlockRange(first: nil, last: 0), BlockRange(first: 0, last: nil)])
        #expect(BlockRange.dividing(5, into: 1) == [BlockRange(first: nil, last: nil)])
    }
}
