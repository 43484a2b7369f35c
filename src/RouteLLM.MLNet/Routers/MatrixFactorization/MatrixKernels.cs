using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// The one dense product MF training needs, in both directions: <c>C = A·B</c> with B and C row-major and A read
/// through strides, so that <c>X·W</c> (forward) and <c>Xᵀ·dH</c> (backward) share one register-blocked kernel.
/// Each output element is summed in a fixed order, so results are deterministic on a given machine.
/// </summary>
internal static class MatrixKernels
{
    private const int ColumnVectors = 2;
    private const int BlockRows = 4;

    /// <summary>
    /// Overwrites <c>c[i, :] = Σ_j a[i·aRowStride + j·aColumnStride] · b[j, :]</c> for
    /// <c>i &lt; rows</c>, <c>j &lt; inner</c>; <paramref name="b"/> is <c>inner × columns</c>, <paramref name="c"/> is
    /// <c>rows × columns</c>.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, int aRowStride, int aColumnStride,
        ReadOnlySpan<float> b, Span<float> c, int rows, int inner, int columns)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        var lastA = (long)(rows - 1) * aRowStride + (long)(inner - 1) * aColumnStride;
        if (inner > 0 && lastA >= a.Length || b.Length < inner * columns || c.Length < rows * columns)
        {
            throw new ArgumentException("Matrix spans are shorter than the shapes given.");
        }

        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var b0 = ref MemoryMarshal.GetReference(b);
        ref var c0 = ref MemoryMarshal.GetReference(c);
        var width = Vector<float>.Count;
        var blockColumns = width * ColumnVectors;
        var column = 0;
        for (; column + blockColumns <= columns; column += blockColumns)
        {
            var row = 0;
            for (; row + BlockRows <= rows; row += BlockRows)
            {
                FourRowsBlock(ref a0, aRowStride, aColumnStride, ref b0, ref c0, row, inner, columns, column);
            }

            for (; row < rows; row++)
            {
                OneRowBlock(ref a0, aRowStride, aColumnStride, ref b0, ref c0, row, inner, columns, column);
            }
        }

        for (; column < columns; column++)
        {
            for (var row = 0; row < rows; row++)
            {
                var sum = 0f;
                for (var j = 0; j < inner; j++)
                {
                    sum = MathF.FusedMultiplyAdd(
                        Unsafe.Add(ref a0, row * aRowStride + j * aColumnStride), Unsafe.Add(ref b0, j * columns + column), sum);
                }

                Unsafe.Add(ref c0, row * columns + column) = sum;
            }
        }
    }

    // 4 rows × 2 vectors: 8 accumulators, 2 loads and 4 broadcasts per step (fits AVX2's 16 registers), and a
    // panel of B only 2 vectors wide, so that a 384-row panel of W (24 KiB) stays in L1 while every row block reads it.
    private static void FourRowsBlock(
        ref float a0, int aRowStride, int aColumnStride, ref float b0, ref float c0, int row, int inner, int columns, int column)
    {
        var width = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
        ref var aRow = ref Unsafe.Add(ref a0, row * aRowStride);
        for (var j = 0; j < inner; j++)
        {
            ref var bj = ref Unsafe.Add(ref b0, j * columns + column);
            var b_0 = Vector.LoadUnsafe(ref bj);
            var b_1 = Vector.LoadUnsafe(ref bj, (nuint)width);
            ref var aj = ref Unsafe.Add(ref aRow, j * aColumnStride);
            var x0 = new Vector<float>(aj);
            var x1 = new Vector<float>(Unsafe.Add(ref aj, aRowStride));
            var x2 = new Vector<float>(Unsafe.Add(ref aj, 2 * aRowStride));
            var x3 = new Vector<float>(Unsafe.Add(ref aj, 3 * aRowStride));
            c00 = Vector.FusedMultiplyAdd(x0, b_0, c00);
            c01 = Vector.FusedMultiplyAdd(x0, b_1, c01);
            c10 = Vector.FusedMultiplyAdd(x1, b_0, c10);
            c11 = Vector.FusedMultiplyAdd(x1, b_1, c11);
            c20 = Vector.FusedMultiplyAdd(x2, b_0, c20);
            c21 = Vector.FusedMultiplyAdd(x2, b_1, c21);
            c30 = Vector.FusedMultiplyAdd(x3, b_0, c30);
            c31 = Vector.FusedMultiplyAdd(x3, b_1, c31);
        }

        ref var r0 = ref Unsafe.Add(ref c0, row * columns + column);
        Store(c00, c01, ref r0);
        Store(c10, c11, ref Unsafe.Add(ref r0, columns));
        Store(c20, c21, ref Unsafe.Add(ref r0, 2 * columns));
        Store(c30, c31, ref Unsafe.Add(ref r0, 3 * columns));
    }

    private static void OneRowBlock(
        ref float a0, int aRowStride, int aColumnStride, ref float b0, ref float c0, int row, int inner, int columns, int column)
    {
        var width = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default;
        ref var aRow = ref Unsafe.Add(ref a0, row * aRowStride);
        for (var j = 0; j < inner; j++)
        {
            ref var bj = ref Unsafe.Add(ref b0, j * columns + column);
            var x0 = new Vector<float>(Unsafe.Add(ref aRow, j * aColumnStride));
            c00 = Vector.FusedMultiplyAdd(x0, Vector.LoadUnsafe(ref bj), c00);
            c01 = Vector.FusedMultiplyAdd(x0, Vector.LoadUnsafe(ref bj, (nuint)width), c01);
        }

        Store(c00, c01, ref Unsafe.Add(ref c0, row * columns + column));
    }

    private static void Store(Vector<float> first, Vector<float> second, ref float destination)
    {
        first.StoreUnsafe(ref destination);
        second.StoreUnsafe(ref destination, (nuint)Vector<float>.Count);
    }
}
